package io.metalforge.example.source.imagedir.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.osgi.service.component.annotations.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.metalforge.api.source.ImageStreamSource;
import io.metalforge.api.source.ProductShape;
import io.metalforge.api.source.SignaturePolicy;
import io.metalforge.api.source.StreamCatalogue;
import io.metalforge.api.source.StreamItem;
import io.metalforge.api.source.StreamProduct;
import io.metalforge.api.source.StreamSourceException;
import io.metalforge.api.source.StreamVersion;

/**
 * A vendor image source that is not SimpleStreams: a plain folder of image files, on disk or served over HTTP,
 * described by one {@code manifest.json} and its detached OpenPGP signature {@code manifest.json.asc} (made with
 * {@code gpg --armor --detach-sign manifest.json}). A boot source uses it with the URL
 * {@code imagedir+file:/srv/images/} or {@code imagedir+http://host/images/}.
 *
 * <pre>
 * {"images": [{"os": "ubuntu", "release": "noble", "version": "24.04", "arch": "amd64", "subarch": "generic",
 *              "serial": "20250101", "label": "stable", "title": "Ubuntu 24.04 LTS",
 *              "files": [{"ftype": "boot-kernel", "path": "noble/boot-kernel", "sha256": "...", "size": 123}, ...]}]}
 * </pre>
 */
@Component(property = ImageStreamSource.PROPERTY_TYPE + "=" + ImageFolderSource.TYPE)
public class ImageFolderSource implements ImageStreamSource {

    static final String TYPE = "imagedir";
    static final String MANIFEST = "manifest.json";
    private static final int MAX_MANIFEST = 4 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean supports(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals(TYPE + "+file") || scheme.equals(TYPE + "+http") || scheme.equals(TYPE + "+https");
    }

    @Override
    public StreamCatalogue readCatalogue(URI url, SignaturePolicy policy) throws IOException {
        URI root = folder(url);
        URI manifest = root.resolve(MANIFEST);
        byte[] body = read(manifest, MAX_MANIFEST);
        if (policy.verify()) {
            byte[] signature;
            try {
                signature = read(root.resolve(MANIFEST + ".asc"), 1 << 20);
            } catch (IOException e) {
                throw new StreamSourceException("Signature verification of '" + manifest + "' failed: no "
                        + MANIFEST + ".asc (" + e.getMessage() + ")", e);
            }
            verify(manifest, body, signature, keyring(policy));
        }
        return new StreamCatalogue(manifest, root, "", products(manifest, body));
    }

    @Override
    public InputStream openItem(URI mirrorRoot, String path, long offset) throws IOException {
        if (path.startsWith("/") || path.contains("..")) {
            throw new StreamSourceException("Item path '" + path + "' leaves the image folder");
        }
        URI item = mirrorRoot.resolve(path);
        if ("file".equals(item.getScheme())) {
            FileChannel ch = FileChannel.open(Path.of(item), StandardOpenOption.READ);
            ch.position(offset);
            return Channels.newInputStream(ch);
        }
        HttpURLConnection c = (HttpURLConnection) item.toURL().openConnection();
        c.setConnectTimeout(30_000);
        c.setReadTimeout(60_000);
        if (offset > 0) {
            c.setRequestProperty("Range", "bytes=" + offset + "-");
        }
        int status = c.getResponseCode();
        if (status != (offset > 0 ? 206 : 200)) {
            c.disconnect();
            throw new IOException("Request to '" + item + "' failed: HTTP " + status);
        }
        return c.getInputStream();
    }

    /** The folder a URL names, without the type prefix of its scheme, ending in "/". */
    static URI folder(URI url) {
        String s = url.toString().substring(TYPE.length() + 1);
        return URI.create(s.endsWith("/") ? s : s + "/");
    }

    private static byte[] read(URI uri, int max) throws IOException {
        try (InputStream in = "file".equals(uri.getScheme()) ? Files.newInputStream(Path.of(uri))
                : uri.toURL().openStream()) {
            byte[] data = in.readNBytes(max + 1);
            if (data.length > max) {
                throw new StreamSourceException("'" + uri + "' is larger than " + max + " bytes");
            }
            return data;
        } catch (StreamSourceException e) {
            throw e;
        } catch (IOException e) {
            throw new StreamSourceException("Request to '" + uri + "' failed: " + e, e);
        }
    }

    private static byte[] keyring(SignaturePolicy policy) throws IOException {
        if (policy.keyringData() != null && policy.keyringData().length > 0) {
            return policy.keyringData();
        }
        if (policy.keyringFile() == null || !Files.isRegularFile(policy.keyringFile())) {
            throw new StreamSourceException("Keyring file " + policy.keyringFile() + " does not exist.");
        }
        return Files.readAllBytes(policy.keyringFile());
    }

    /** A detached signature (armored or binary) over the manifest by a key of the keyring, or the read fails. */
    static void verify(URI manifest, byte[] body, byte[] signature, byte[] keyring) throws StreamSourceException {
        try (InputStream keys = PGPUtil.getDecoderStream(new ByteArrayInputStream(keyring));
                InputStream sig = PGPUtil.getDecoderStream(new ByteArrayInputStream(signature))) {
            PGPPublicKeyRingCollection ring = new PGPPublicKeyRingCollection(keys, new BcKeyFingerprintCalculator());
            Object o = new BcPGPObjectFactory(sig).nextObject();
            if (!(o instanceof PGPSignatureList list) || list.isEmpty()) {
                throw new StreamSourceException("Signature verification of '" + manifest + "' failed: "
                        + MANIFEST + ".asc holds no signature");
            }
            for (PGPSignature s : list) {
                PGPPublicKey key = ring.getPublicKey(s.getKeyID());
                if (key == null) {
                    continue;
                }
                s.init(new BcPGPContentVerifierBuilderProvider(), key);
                s.update(body);
                if (s.verify()) {
                    return;
                }
                throw new StreamSourceException("Signature verification of '" + manifest + "' failed: BAD "
                        + "signature");
            }
            throw new StreamSourceException("Signature verification of '" + manifest + "' failed: the signing key "
                    + "is not in the keyring");
        } catch (IOException | PGPException e) {
            throw new StreamSourceException("Signature verification of '" + manifest + "' failed: " + e.getMessage(),
                    e);
        }
    }

    /** Each image becomes a multi-file product (kernel, initrd, root image) named as SimpleStreams v3 names them. */
    static List<StreamProduct> products(URI manifest, byte[] body) throws StreamSourceException {
        List<StreamProduct> products = new ArrayList<>();
        try {
            for (JsonNode image : JSON.readTree(body).path("images")) {
                String os = text(image, "os");
                String release = text(image, "release");
                String arch = text(image, "arch");
                String subarch = image.path("subarch").asText("generic");
                Map<String, String> attributes = new LinkedHashMap<>();
                attributes.put("os", os);
                attributes.put("release", release);
                attributes.put("arch", arch);
                attributes.put("subarch", subarch);
                attributes.put("subarches", subarch);
                attributes.put("kflavor", "generic");
                attributes.put("label", image.path("label").asText("stable"));
                attributes.put("version", image.path("version").asText(release));
                attributes.put("release_title", image.path("title").asText(release));
                Map<String, StreamItem> items = new TreeMap<>();
                for (JsonNode f : image.path("files")) {
                    String ftype = text(f, "ftype");
                    items.put(ftype, new StreamItem(ftype, ftype, text(f, "path"), text(f, "sha256"),
                            f.path("size").asLong(), Map.of()));
                }
                String serial = text(image, "serial");
                String name = "io.metalforge.example.imagedir:v3:boot:" + release + ":" + arch + ":" + subarch;
                products.add(new StreamProduct(name, ProductShape.MULTI_FILE, attributes,
                        new TreeMap<>(Map.of(serial, new StreamVersion(serial, items)))));
            }
        } catch (IOException | RuntimeException e) {
            throw new StreamSourceException("Request to '" + manifest + "' failed: not a valid manifest: "
                    + e.getMessage(), e);
        }
        return products;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isValueNode() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("'" + field + "' is missing");
        }
        return v.asText();
    }
}
