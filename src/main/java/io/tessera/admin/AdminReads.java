package io.tessera.admin;

import io.tessera.db.Database;
import java.util.List;

/** Read-only SQL for the admin UI's own needs: the project select. */
public final class AdminReads {
    private final Database db;

    AdminReads(Database db) {
        this.db = db;
    }

    List<Frame.Option> projects() {
        return db.dsl().fetch("select id, name from projects order by name")
                .map(r -> new Frame.Option(r.get("id", String.class), r.get("name", String.class)));
    }
}
