package dev.gridserve.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DistinctGramsTest {
    @Test
    void everyGramOfADocumentPassesExactlyOnce() {
        Random rnd = new Random(7);
        for (int doc = 0; doc < 200; doc++) {
            List<String> passed = new ArrayList<>();
            DistinctGrams grams = new DistinctGrams((c, s, e) -> passed.add(c.substring(s, e)));
            Set<String> expected = new HashSet<>();
            // enough distinct grams to make the set grow several times, from a wide alphabet including NUL
            for (int chunk = 0; chunk < 1 + rnd.nextInt(40); chunk++) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < 1 + rnd.nextInt(30); i++) {
                    sb.append((char) (rnd.nextInt(3) == 0 ? rnd.nextInt(0x3000) : 'a' + rnd.nextInt(6)));
                }
                String c = sb.toString();
                for (int i = 0; i < c.length(); i++) {
                    expected.add(c.substring(i, i + 1));
                    if (i + 2 <= c.length()) {
                        expected.add(c.substring(i, i + 2));
                    }
                }
                Text.grams(c, grams);
            }
            assertThat(passed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        }
    }
}
