package io.metalforge.http.internal;

import io.metalforge.db.internal.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import io.metalforge.api.http.ApiHandler;
import io.metalforge.db.internal.DatabaseService;

/**
 * The API servlet with the built-in handlers on a real Jetty 12 (the one Felix HTTP embeds) on loopback, backed by
 * the real embedded database.
 */
final class TestServer implements AutoCloseable {

    final DatabaseService db;
    final UserStore users;
    final ApiServlet servlet;
    final Server jetty;
    final int port;
    final ServerConnector connector;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong nonces = new AtomicLong(System.nanoTime());

    /** What the servlet logged, one entry per line, with its level first. */
    final java.util.Queue<String> log = new java.util.concurrent.ConcurrentLinkedQueue<>();

    TestServer(Path data, FormLimits limits) throws Exception {
        this(data, limits, BodyPolicy.DEFAULT);
    }

    TestServer(Path data, FormLimits limits, BodyPolicy policy) throws Exception {
        db = TestDatabases.h2(data);
        users = new UserStore(db, Clock.systemUTC());
        servlet = new ApiServlet(new OAuthVerifier(users, Clock.systemUTC()), data.resolve("spool"), limits, policy,
                new FaultAnswers(line -> log.add("INFO " + line), line -> log.add("WARN " + line),
                        line -> log.add("ERROR " + line)));
        servlet.addActive(new VersionHandler());
        servlet.addActive(new UsersHandler(users));
        servlet.addActive(new UserHandler(users));
        servlet.addActive(new AccountHandler(users));
        jetty = new Server();
        connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true); // as the whiteboard registers it (@HttpWhiteboardServletAsyncSupported)
        context.addServlet(holder, "/MAAS/api/2.0/*");
        jetty.setHandler(context);
        jetty.start();
        port = connector.getLocalPort();
    }

    void add(ApiHandler handler) {
        servlet.addActive(handler);
    }

    void remove(ApiHandler handler) {
        servlet.removeActive(handler);
    }

    URI uri(String relative) {
        return URI.create("http://127.0.0.1:" + port + "/MAAS/api/2.0/" + relative);
    }

    /** The header the maas CLI sends, with a fresh nonce. */
    String sign(ApiKey key) {
        return "OAuth oauth_nonce=\"" + nonces.incrementAndGet() + "\", oauth_timestamp=\""
                + (System.currentTimeMillis() / 1000) + "\", oauth_version=\"1.0\", oauth_signature_method="
                + "\"PLAINTEXT\", oauth_consumer_key=\"" + key.consumerKey() + "\", oauth_token=\"" + key.tokenKey()
                + "\", oauth_signature=\"%26" + key.secret() + "\"";
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String relative, ApiKey key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(relative)).GET();
        if (key != null) {
            b.header("Authorization", sign(key));
        }
        return send(b);
    }

    /** A POST without a body, signed for {@code key}. */
    HttpResponse<String> post(String relative, ApiKey key) throws Exception {
        return send(HttpRequest.newBuilder(uri(relative)).header("Authorization", sign(key))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
        db.close();
    }
}
