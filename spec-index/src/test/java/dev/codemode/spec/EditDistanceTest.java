package dev.codemode.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EditDistanceTest {
  @Test
  void countsInsertionsDeletionsSubstitutionsAndASwapOfNeighboursAsOneEdit() {
    assertEquals(0, EditDistance.between("getOrder", "getOrder"));
    assertEquals(1, EditDistance.between("emial", "email"));
    assertEquals(1, EditDistance.between("getOrdr", "getOrder"));
    assertEquals(1, EditDistance.between("listOrders", "listOrder"));
    assertEquals(1, EditDistance.between("per_page", "per-page"));
    assertEquals(3, EditDistance.between("", "abc"));
    assertEquals(3, EditDistance.between("kitten", "sitting"));
  }
}
