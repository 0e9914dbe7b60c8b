package dev.catchup.monitor.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code /}: the status page as served (what it renders is {@code StatusPageIT}'s business). */
class StatusPageTest {
  private static final String TOKEN = "page-T0ken";

  @Test
  void page_isHtmlWithAPolicyAllowingOnlyItsOwnScriptAndStyle() throws Exception {
    try (ApiFixture f = new ApiFixture().allUp()) {
      HttpResponse<String> r = f.get("/");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
      String csp = r.headers().firstValue("content-security-policy").orElseThrow();
      assertThat(csp).startsWith("default-src 'none'; ")
          .contains("script-src " + sha256(inner(r.body(), "script")) + ";")
          .contains("style-src " + sha256(inner(r.body(), "style")) + ";")
          .contains("connect-src 'self'").contains("frame-ancestors 'none'")
          .doesNotContain("unsafe");
      assertThat(r.headers().firstValue("x-content-type-options")).hasValue("nosniff");
      assertThat(r.headers().firstValue("x-frame-options")).hasValue("DENY");
      assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
    }
  }

  @Test
  void page_carriesNoData() {
    try (ApiFixture f = new ApiFixture().allUp()) {
      String html = f.get("/").body();

      assertThat(html).doesNotContain("replica1").doesNotContain(ApiFixture.SOURCE.toString());
    }
  }

  @Test
  void page_loadsNothingFromElsewhere() {
    try (ApiFixture f = new ApiFixture()) {
      String html = f.get("/").body();

      // The machines it runs on have no internet: no CDN, no web fonts, no external anything.
      assertThat(html.replace("'http://www.w3.org/2000/svg'", "")).doesNotContain("http:")
          .doesNotContain("https:").doesNotContain("//cdn").doesNotContain(" src=")
          .doesNotContain("@import").doesNotContain("url(");
      assertThat(html).contains("fetch(path"); // relative paths: works behind a path prefix too
    }
  }

  @Test
  void page_neverWritesMarkupFromData() {
    try (ApiFixture f = new ApiFixture()) {
      String script = inner(f.get("/").body(), "script");

      assertThat(script).doesNotContain("innerHTML").doesNotContain("outerHTML")
          .doesNotContain("insertAdjacentHTML").doesNotContain("document.write")
          .doesNotContain("eval(").doesNotContain("new Function");
    }
  }

  @Test
  void page_withTokenConfigured_isServedWithoutIt_butItsDataIsNot() {
    try (ApiFixture f = new ApiFixture(TOKEN, Limits.DEFAULTS, null).allUp()) {
      assertThat(f.get("/").statusCode()).isEqualTo(200);
      assertThat(f.get("/status").statusCode()).isEqualTo(401);
      assertThat(f.get("/history").statusCode()).isEqualTo(401);
      assertThat(f.get("/history", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
      assertThat(f.get("/").body()).doesNotContain(TOKEN);
    }
  }

  @Test
  void page_queryOrMethod_isRefusedLikeAnyEndpoint() {
    try (ApiFixture f = new ApiFixture()) {
      assertThat(f.error(f.get("/?token=x"), 400))
          .isEqualTo("unknown query parameter 'token' for /; allowed: none");
      HttpResponse<String> post = f.send(f.request("/").POST(HttpRequest.BodyPublishers.noBody()).build());
      assertThat(post.statusCode()).isEqualTo(405);
    }
  }

  @Test
  void hashOf_twoScripts_throws() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> StatusPage.hashOf("<script>a</script><script>b</script>", "script"));

    assertThat(e.getMessage()).isEqualTo("status-page.html must have exactly one <script> element");
  }

  @Test
  void hashOf_isTheCspSourceOfTheElementsText() throws Exception {
    assertThat(StatusPage.hashOf("<p><style>\nb{}\n</style>", "style")).isEqualTo(sha256("\nb{}\n"));
  }

  private static String inner(String html, String tag) {
    Matcher m = Pattern.compile("<" + tag + ">(.*?)</" + tag + ">", Pattern.DOTALL).matcher(html);
    assertThat(m.find()).as("<" + tag + "> in the page").isTrue();
    return m.group(1);
  }

  private static String sha256(String s) throws Exception {
    return "'sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
        .digest(s.getBytes(StandardCharsets.UTF_8))) + "'";
  }
}
