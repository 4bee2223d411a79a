package dev.codemode.spec.internal;

import dev.codemode.spec.Operation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * BM25 over operation text in an in-memory Lucene index: one document per operation, one field per kind of text
 * (summary, operationId words, path, tags, description, parameter and body field names), each query word scored as the
 * best field match (boosted per field) plus a little of the others. Filters (api, tag, method) are exact. Built once;
 * {@link #search} is thread-safe.
 */
final class LexicalIndex implements AutoCloseable {
  /** Field name and boost; tuned on the RestBench development sets. */
  static final Map<String, Float> FIELDS = fields();
  private static final float TIE_BREAKER = 0.3f;
  /** Lucene's BM25 defaults (k1 1.2, b 0.75); b 0.3 was tried on RestBench and was no better. */
  private static final BM25Similarity SIMILARITY = new BM25Similarity(1.2f, 0.75f);

  private final Analyzer analyzer = new IdentifierAnalyzer();
  private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final int[] ordinalOfDoc;
  private final boolean fromCache;

  /** A ranked operation ordinal with its score. */
  record Hit(int ordinal, float score) {}

  private static Map<String, Float> fields() {
    Map<String, Float> f = new java.util.LinkedHashMap<>();
    f.put("summary", 3.0f);
    f.put("opid", 2.0f);
    f.put("path", 1.5f);
    f.put("tags", 1.0f);
    f.put("desc", 0.7f);
    f.put("params", 0.5f);
    f.put("body", 0.4f);
    return java.util.Collections.unmodifiableMap(f);
  }

  LexicalIndex(List<Operation> operations) {
    this(operations, null);
  }

  /**
   * The index over {@code operations}; with a {@code cached} directory (from {@link LexicalCache}) whose files are
   * whole and hold one document per operation it is read from there instead of analysing every operation again.
   */
  LexicalIndex(List<Operation> operations, Path cached) {
    boolean loaded = cached != null && LexicalCache.copyInto(cached, directory, operations.size());
    if (!loaded) {
      try (IndexWriter writer = new IndexWriter(directory,
          new IndexWriterConfig(analyzer).setRAMBufferSizeMB(64).setSimilarity(SIMILARITY))) {
        for (int i = 0; i < operations.size(); i++) {
          writer.addDocument(document(operations.get(i), i));
        }
        writer.forceMerge(1);
      } catch (IOException e) {
        throw new UncheckedIOException("Could not build the in-memory search index", e);
      }
    }
    this.fromCache = loaded;
    try {
      reader = DirectoryReader.open(directory);
      searcher = new IndexSearcher(reader);
      searcher.setSimilarity(SIMILARITY);
      ordinalOfDoc = new int[reader.maxDoc()];
      for (LeafReaderContext leaf : reader.leaves()) {
        NumericDocValues ords = leaf.reader().getNumericDocValues("ord");
        for (int doc = ords.nextDoc(); doc != NumericDocValues.NO_MORE_DOCS; doc = ords.nextDoc()) {
          ordinalOfDoc[leaf.docBase + doc] = (int) ords.longValue();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not open the in-memory search index", e);
    }
  }

  private static Document document(Operation op, int ordinal) {
    Document doc = new Document();
    doc.add(new NumericDocValuesField("ord", ordinal));
    doc.add(new StringField("api", op.api(), Field.Store.NO));
    doc.add(new StringField("method", op.method().toLowerCase(Locale.ROOT), Field.Store.NO));
    for (String tag : op.tags()) {
      doc.add(new StringField("tag", tag.toLowerCase(Locale.ROOT), Field.Store.NO));
    }
    text(doc, "summary", DocText.summary(op));
    text(doc, "opid", DocText.operationId(op));
    text(doc, "path", DocText.path(op));
    text(doc, "tags", DocText.tags(op));
    text(doc, "desc", DocText.plain(DocText.description(op)));
    text(doc, "params", DocText.parameters(op));
    text(doc, "body", DocText.body(op));
    return doc;
  }

  private static void text(Document doc, String field, String value) {
    if (!value.isEmpty()) {
      doc.add(new TextField(field, Words.split(value), Field.Store.NO));
    }
  }

  /** Whether this index was read from the on-disk cache rather than built. */
  boolean fromCache() {
    return fromCache;
  }

  /** The in-memory index's files, for {@link LexicalCache#write}. */
  ByteBuffersDirectory directory() {
    return directory;
  }

  /** Up to {@code max} hits for the words of {@code text}, restricted by the (nullable) filters. */
  List<Hit> search(String text, int max, String api, String tag, String method) {
    Set<String> terms = terms(text);
    if (terms.isEmpty()) {
      return List.of();
    }
    BooleanQuery.Builder words = new BooleanQuery.Builder();
    for (String term : terms) {
      List<Query> perField = new ArrayList<>();
      FIELDS.forEach((field, boost) -> perField.add(new BoostQuery(new TermQuery(new Term(field, term)), boost)));
      words.add(new DisjunctionMaxQuery(perField, TIE_BREAKER), BooleanClause.Occur.SHOULD);
    }
    BooleanQuery.Builder query = new BooleanQuery.Builder().add(words.build(), BooleanClause.Occur.MUST);
    if (api != null) {
      query.add(new TermQuery(new Term("api", api)), BooleanClause.Occur.FILTER);
    }
    if (tag != null) {
      query.add(new TermQuery(new Term("tag", tag.toLowerCase(Locale.ROOT))), BooleanClause.Occur.FILTER);
    }
    if (method != null) {
      query.add(new TermQuery(new Term("method", method.toLowerCase(Locale.ROOT))), BooleanClause.Occur.FILTER);
    }
    try {
      TopDocs top = searcher.search(query.build(), max);
      List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
      for (ScoreDoc sd : top.scoreDocs) {
        hits.add(new Hit(ordinalOfDoc[sd.doc], sd.score));
      }
      return hits;
    } catch (IOException e) {
      throw new UncheckedIOException("In-memory search failed", e);
    }
  }

  /** Whether the words of {@code word} all occur in some operation's text (stop words count as known). */
  boolean knows(String word) {
    try {
      for (String term : terms(word)) {
        boolean found = false;
        for (String field : FIELDS.keySet()) {
          if (reader.docFreq(new Term(field, term)) > 0) {
            found = true;
            break;
          }
        }
        if (!found) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Set<String> terms(String text) {
    Set<String> out = new LinkedHashSet<>();
    try (TokenStream ts = analyzer.tokenStream("summary", Words.split(text))) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @Override
  public void close() {
    try {
      reader.close();
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
