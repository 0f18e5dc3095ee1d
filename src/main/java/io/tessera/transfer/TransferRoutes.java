package io.tessera.transfer;

import static io.tessera.http.Api.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.core.Input;
import io.tessera.core.Principal;
import io.tessera.core.Scope;
import io.tessera.http.Api;
import java.util.Set;

/** {@code GET /v1/project/export} and {@code POST /v1/project/import}: admin only, both. */
public final class TransferRoutes implements io.tessera.http.Routes {
    private final Api api;
    private final ProjectTransfer transfer;

    public TransferRoutes(Api api, ProjectTransfer transfer) {
        this.api = api;
        this.transfer = transfer;
    }

    @Override
    public void register(RoutesConfig r) {
        r.get("/v1/project/export", this::export);
        r.post("/v1/project/import", this::importDocument);
    }

    private void export(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        Api.query(ctx, Set.of());
        json(ctx, 200, transfer.export(p.project(), api.now(ctx)));
    }

    /** {@code {"dryRun": true|false, "document": {...}}}: dryRun is required, so that no import happens by accident. */
    private void importDocument(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        Api.query(ctx, Set.of());
        Input in = api.input(ctx).allow(Set.of("dryRun", "document"));
        Boolean dryRun = in.bool("dryRun", true);
        if (!in.has("document")) in.fail("document", "is required");
        in.check();
        json(ctx, 200, transfer.importDocument(p.project(), p.actor(), in.raw("document"), dryRun, api.now(ctx)));
    }
}
