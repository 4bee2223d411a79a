package dev.codemode.spec.internal;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * Lucene analysis for operation text and queries. Callers first split the text into identifier words with
 * {@link Words#split} (camelCase, snake_case, kebab-case, paths); the analyzer then standard tokenised, lower-cased, stripped of English stop words and
 * Porter-stemmed, so "listRepositories", "list_repositories" and "list repositories" all meet. Thread-safe.
 */
final class IdentifierAnalyzer extends Analyzer {
  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    StandardTokenizer source = new StandardTokenizer();
    TokenStream stream = new EnglishPossessiveFilter(source);
    stream = new LowerCaseFilter(stream);
    stream = new StopFilter(stream, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
    stream = new PorterStemFilter(stream);
    return new TokenStreamComponents(source, stream);
  }
}
