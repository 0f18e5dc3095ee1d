package io.tessera.http;

import io.javalin.config.RoutesConfig;

/** A feature's HTTP endpoints; each feature declares its own and {@code Main} lists them all. */
public interface Routes {
    void register(RoutesConfig routes);
}
