package dev.gridserve.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Facet counts against a brute-force count, for every layout of cached ordinals (byte per document, 16- and
 * 64-bit masks) and for fields with too many values to cache, over several segments with deletions.
 */
class FacetCollectorTest {
    @ParameterizedTest
    @CsvSource({"12, 40", "300, 16", "5, 64", "200, 65", "254, 3"})
    void countsMatchBruteForce(int categories, int tags) throws Exception {
        Random rnd = new Random(categories * 31L + tags);
        Map<String, Map<String, Long>> expected = Map.of("category", new HashMap<>(), "tags", new HashMap<>());
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
                IndexWriter w = new IndexWriter(dir, new IndexWriterConfig().setMaxBufferedDocs(700))) {
            for (int i = 0; i < 3000; i++) {
                Document d = new Document();
                d.add(new StringField("id", Integer.toString(i), Field.Store.NO));
                boolean even = i % 2 == 0;
                d.add(new StringField("even", Boolean.toString(even), Field.Store.NO));
                boolean deleted = i % 7 == 0;
                if (rnd.nextInt(10) > 0) { // some products have no category
                    String c = "c" + rnd.nextInt(categories);
                    d.add(new SortedSetDocValuesField(IndexLayout.facet("category"), new BytesRef(c)));
                    if (even && !deleted) {
                        expected.get("category").merge(c, 1L, Long::sum);
                    }
                }
                for (int k = rnd.nextInt(5); k > 0; k--) {
                    String t = "t" + rnd.nextInt(tags);
                    d.add(new SortedSetDocValuesField(IndexLayout.facet("tags"), new BytesRef(t)));
                }
                if (even && !deleted) {
                    java.util.Arrays.stream(d.getFields(IndexLayout.facet("tags")))
                            .map(f -> f.binaryValue().utf8ToString())
                            .distinct()
                            .forEach(t -> expected.get("tags").merge(t, 1L, Long::sum));
                }
                w.addDocument(d);
            }
            for (int i = 0; i < 3000; i += 7) {
                w.deleteDocuments(new Term("id", Integer.toString(i)));
            }
            w.commit();
            try (DirectoryReader r = DirectoryReader.open(dir)) {
                assertThat(r.leaves()).hasSizeGreaterThan(1);
                IndexSearcher s = new IndexSearcher(r);
                FacetOrdinals cache = new FacetOrdinals();
                Query evens = new TermQuery(new Term("even", "true"));
                for (int round = 0; round < 2; round++) { // the second round reads the cached arrays
                    FacetCollector c = s.search(
                            evens,
                            Collectors2.manager(
                                    () -> new FacetCollector(List.of("category", "tags"), cache),
                                    x -> x,
                                    FacetCollector::merge));
                    assertThat(c.counts).isEqualTo(expected);
                    assertThat(c.docs).isEqualTo(s.count(evens));
                }
            }
        }
    }
}
