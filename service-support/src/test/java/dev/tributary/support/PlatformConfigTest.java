package dev.tributary.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the tokens are read from configuration. */
class PlatformConfigTest {

  private static PlatformConfig read(Map<String, String> properties) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(PlatformConfig.class)
            .withSources(new PropertiesConfigSource(properties, "test", 100))
            .build();
    return config.getConfigMapping(PlatformConfig.class);
  }

  @Test
  void aTokenFromAFileLosesItsTrailingNewline() {
    PlatformConfig config =
        read(
            Map.of(
                "tributary.admin.token", "admin-s3cret\n",
                "tributary.service.token", "  service-s3cret\r\n"));

    assertEquals(Optional.of("admin-s3cret"), config.admin().token());
    assertEquals(Optional.of("service-s3cret"), config.service().token());
    assertTrue(TokenAuthFilter.matches("admin-s3cret", config.admin().token()));
  }

  @Test
  void aBlankTokenIsUnset() {
    PlatformConfig config = read(Map.of("tributary.admin.token", " \n"));

    assertEquals(Optional.empty(), config.admin().token());
    assertEquals(Optional.empty(), config.service().token());
  }
}
