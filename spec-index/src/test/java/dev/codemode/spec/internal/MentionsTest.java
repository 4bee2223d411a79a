package dev.codemode.spec.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class MentionsTest {
  /** Words an imaginary movie API uses. */
  private static final Set<String> WORDS = Set.of("tv", "series", "show", "movie", "english", "pull", "dns",
      "requests", "what", "who");

  private static final Predicate<String> KNOWN = w -> WORDS.contains(w.toLowerCase(java.util.Locale.ROOT));

  private static List<String> names(String query) {
    return Mentions.of(query, KNOWN);
  }

  @Test
  void findsPeopleAndTitles() {
    assertEquals(List.of("Sofia Coppola"), names("give me the number of movies directed by Sofia Coppola"));
    assertEquals(List.of("2 Broke Girls"), names("give me a poster of 2 Broke Girls"));
    assertEquals(List.of("The Fast and the Furious"), names("List movies from The Fast and the Furious collection"));
    assertEquals(List.of("David Schwimmer"), names("What is David Schwimmer's most popular TV show?"));
    assertEquals(List.of("Akira Kurosawa", "Spielberg"), names("Who directed more movies, Akira Kurosawa or Spielberg?"));
  }

  @Test
  void quotedStringsAreNamesButApostrophesAreNot() {
    assertEquals(List.of("My Rock"), names("Play my playlist 'My Rock'"));
    assertEquals(List.of("staging"), names("deploy to the \"staging\" environment"));
    assertEquals(List.of(), names("what's the user's latest movie"));
  }

  @Test
  void emailAddressesAndHostNamesAreValues() {
    assertEquals(List.of("jane.doe@example.com"), names("find the customer whose e-mail is jane.doe@example.com"));
    assertEquals(List.of("blog.example.com"), names("delete the DNS record for blog.example.com"));
    assertEquals(List.of("Always Use HTTPS", "mysite.io"), names("turn on 'Always Use HTTPS' for mysite.io"));
    assertEquals(List.of(), names("upgrade to v2.1.0 and set the rating to 7.5"));
  }

  @Test
  void vocabularyAndSentenceOpenersAreNotNames() {
    assertEquals(List.of("Mulholland Drive"), names("What TV series has the director of Mulholland Drive directed?"));
    assertEquals(List.of(), names("Show me some English movies rating no less than 7.0"));
    assertEquals(List.of(), names("List open Pull Requests"));
    assertEquals(List.of(), names("I need a poster of today's most trending TV show"));
    assertEquals(List.of(), names("Avatar"));
    assertEquals(List.of("Avatar"), names("Avatar versus Avatar: which is rated higher"));
  }

  @Test
  void identifiersAreCheckedAsTheAnalyzerSplitsThem() {
    // The real predicate (LexicalIndex.knows) splits "ListOrders" into "list orders"; this one knows it whole.
    assertEquals(List.of(), Mentions.of("how do I page with ListOrders", w -> w.equals("ListOrders")));
    assertEquals(List.of("ListOrders"), Mentions.of("how do I page with ListOrders", w -> false));
  }
}
