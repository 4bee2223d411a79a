/**
 * The one question the server asks a human ({@link dev.codemode.server.approval.Approver}), with no MCP types: the
 * gateway's write confirmation and {@code --skills approve} both ask through it.
 */
package dev.codemode.server.approval;
