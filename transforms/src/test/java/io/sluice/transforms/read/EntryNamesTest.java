package io.sluice.transforms.read;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.Test;

public class EntryNamesTest {
  @Test
  public void refusesTraversalAbsoluteAndBackslashNames() {
    assertThat(EntryNames.whyUnsafe("../../evil.pdf"), equalTo(Optional.of("path traversal (..)")));
    assertThat(EntryNames.whyUnsafe("/tmp/evil.pdf"), equalTo(Optional.of("absolute path")));
    assertThat(
        EntryNames.whyUnsafe("safe/..\\..\\evil.pdf"), equalTo(Optional.of("path traversal (..)")));
    assertThat(EntryNames.whyUnsafe("\\windows\\evil.pdf"), equalTo(Optional.of("absolute path")));
    assertThat(EntryNames.whyUnsafe("C:/evil.pdf"), equalTo(Optional.of("drive-letter path")));
    assertThat(
        EntryNames.whyUnsafe("a\u0000b.pdf"), equalTo(Optional.of("control character in name")));
  }

  @Test
  public void acceptsAndNormalisesOrdinaryNames() {
    assertThat(EntryNames.whyUnsafe("dir/./sub//b.pdf"), equalTo(Optional.empty()));
    assertThat(EntryNames.normalize("dir/./sub//b.pdf"), equalTo("dir/sub/b.pdf"));
    assertThat(EntryNames.normalize("win\\dir\\b.pdf"), equalTo("win/dir/b.pdf"));
    // "e" + combining acute becomes the single precomposed character.
    assertThat(EntryNames.normalize("caf\u0065\u0301.pdf"), equalTo("caf\u00e9.pdf"));
  }

  @Test
  public void repeatedNamesGetOrdinals() {
    Set<String> taken = new HashSet<>();
    assertThat(EntryNames.unique("report.pdf", taken), equalTo("report.pdf"));
    assertThat(EntryNames.unique("report.pdf", taken), equalTo("report.pdf#2"));
    assertThat(EntryNames.unique("report.pdf", taken), equalTo("report.pdf#3"));
    assertThat(EntryNames.unique("REPORT.pdf", taken), equalTo("REPORT.pdf"));
  }
}
