package io.tessera.testing;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one way to run a test on both databases: every test of a subclass runs once on H2 and once on PostgreSQL,
 * against one real server per database, each test in a project of its own ({@link #key} is its admin key,
 * {@link #api()} a client holding it). A test that truly needs a server of its own still extends this class and
 * starts it on the {@link #database} of the invocation: {@code server.anotherNode()} (or {@code anotherNode(tune)}) for
 * a second node on the same database, {@code TestServer.start(database, tune)} for a special configuration. A restart
 * that no other node may witness stops and starts {@link #server} itself ({@code stop()}, {@code startAgain()}): on
 * PostgreSQL a server of the test's own would share the database with the class's, whose scheduler would pick up
 * what the stopped one gave back.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {TestDatabases.H2, TestDatabases.POSTGRES})
public abstract class ServerPerDatabase {
    protected static TestServer server;
    @Parameter
    protected String database;
    protected String key;

    @BeforeParameterizedClassInvocation
    static void start(String database) {
        server = TestServer.start(database);
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        if (server != null) server.close();
        server = null;
    }

    @BeforeEach
    void project() {
        key = server.newProject();
    }

    /** Requests with this test's admin key. */
    protected TestServer.Client api() {
        return server.client(key);
    }
}
