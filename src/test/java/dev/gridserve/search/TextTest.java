package dev.gridserve.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TextTest {
    @Test
    void foldsCaseAndAccentsButNotLetters() {
        assertThat(Text.fold("Crème BRÛLÉE")).isEqualTo("creme brulee");
        assertThat(Text.fold("İstanbul")).isEqualTo("istanbul");
        assertThat(Text.fold("Ærø")).isEqualTo("ærø"); // no decomposition: stays itself, still lower-cased
    }

    @Test
    void termsSplitOnAnyWhitespaceAndKeepPunctuationLiteral() {
        assertThat(Text.terms("  USB-C\t(pack)\u00a0 50%  usb-c ")).containsExactly("usb-c", "(pack)", "50%");
        assertThat(Text.terms("   ")).isEmpty();
    }

    @Test
    void wordsAreChunksAndTheirLetterDigitRuns() {
        Set<String> words = new LinkedHashSet<>();
        Text.words("usb-c,", Text.into(words));
        assertThat(words).containsExactly("usb-c,", "usb", "c");
    }

    @Test
    void everySubstringOfAChunkIsAPrefixOfAnIndexedSuffixOrAGram() {
        String chunk = "laptop";
        Set<String> suffixes = new LinkedHashSet<>();
        Set<String> grams = new LinkedHashSet<>();
        Text.suffixes(chunk, Text.into(suffixes));
        Text.grams(chunk, Text.into(grams));
        for (int i = 0; i < chunk.length(); i++) {
            for (int j = i + 1; j <= chunk.length(); j++) {
                String sub = chunk.substring(i, j);
                boolean found = sub.length() <= Text.MAX_GRAM
                        ? grams.contains(sub)
                        : suffixes.stream().anyMatch(s -> s.startsWith(sub));
                assertThat(found).as(sub).isTrue();
            }
        }
        assertThat(suffixes.stream().anyMatch(s -> s.startsWith("lx"))).isFalse();
    }

    @Test
    void longChunksAreClippedSoTermsUpToTheLimitStillMatch() {
        String chunk = "a".repeat(100) + "b";
        Set<String> suffixes = new LinkedHashSet<>();
        Text.suffixes(chunk, Text.into(suffixes));
        assertThat(suffixes).allMatch(s -> s.length() <= Text.MAX_TERM_LENGTH);
        String term = "a".repeat(Text.MAX_TERM_LENGTH - 1) + "b";
        assertThat(suffixes.stream().anyMatch(s -> s.startsWith(term))).isTrue();
        assertThat(List.of(chunk)).isNotEmpty();
    }
}
