package io.metalforge.api.power.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for a name that is not the server's, made by the JDK's keytool in the test: what a
 * BMC presents out of the box. Shared with the tests of the HTTP power drivers through this bundle's test jar.
 */
public final class SelfSignedKeystore {

    public static final char[] PASSWORD = "changeit".toCharArray();

    private SelfSignedKeystore() {
    }

    /** A server TLS context with the certificate, made once per folder. */
    public static SSLContext serverContext(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
        Path store = dir.resolve("bmc.p12");
        if (!Files.exists(store)) {
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "bmc", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=bmc.invalid", "-validity", "2", "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass", new String(PASSWORD), "-keypass",
                    new String(PASSWORD)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool failed: " + out);
            }
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }
}
