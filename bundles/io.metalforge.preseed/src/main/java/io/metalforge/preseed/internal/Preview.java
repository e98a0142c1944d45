package io.metalforge.preseed.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.metalforge.api.catalog.UploadFiletype;
import io.metalforge.api.deploy.ConfigDocument;
import io.metalforge.api.deploy.DeployImage;
import io.metalforge.api.deploy.DeploySettings;
import io.metalforge.api.deploy.DeploymentComposer;
import io.metalforge.api.deploy.DeploymentConfig;
import io.metalforge.api.deploy.Machine;
import io.metalforge.api.os.BootPurpose;
import io.metalforge.api.os.OsHandler;
import io.metalforge.api.os.OsHandlerRegistry;

/**
 * What the shell command and the API share: a machine described in JSON (snake_case fields of the deployment model)
 * plus "os/release" become the documents a deployment would get, with placeholder credentials.
 */
final class Preview {

    /** Bigger than any real machine description; bounds what a client can make us parse. */
    static final int MAX_MACHINE_JSON = 1 << 20;
    /** Image, filetype and base image names. */
    static final int MAX_NAME = 128;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final DeploymentComposer composer;
    private final OsHandlerRegistry registry;

    Preview(DeploymentComposer composer, OsHandlerRegistry registry) {
        this.composer = composer;
        this.registry = registry;
    }

    static Machine machine(byte[] json) {
        if (json.length > MAX_MACHINE_JSON) {
            throw new IllegalArgumentException("machine description is larger than " + MAX_MACHINE_JSON + " bytes");
        }
        try {
            Machine m = JSON.readValue(json, Machine.class);
            if (m == null) {
                throw new IllegalArgumentException("machine description is empty");
            }
            return m;
        } catch (ValueInstantiationException e) {
            // a record constructor refused: requireNonNull names the missing component
            Throwable cause = e.getCause();
            if (cause instanceof NullPointerException && cause.getMessage() != null
                    && cause.getMessage().matches("[a-zA-Z]+")) {
                throw new IllegalArgumentException("machine description: " + snake(cause.getMessage())
                        + " is required" + location(e));
            }
            throw new IllegalArgumentException("machine description: " + (cause == null ? e.getOriginalMessage()
                    : cause.getMessage()) + location(e));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("machine description: " + e.getOriginalMessage().lines().findFirst()
                    .orElse("invalid JSON") + location(e));
        } catch (IOException e) {
            throw new IllegalArgumentException("machine description: " + e.getMessage());
        } catch (RuntimeException e) {
            // record constructors reject missing or inconsistent fields
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("machine description: " + cause.getMessage());
        }
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }

    /**
     * @param osRelease "os/release", e.g. "ubuntu/noble" or "custom/golden"
     * @param filetype  stored filetype, or null for the OS's usual one
     * @param baseImage base "os/release" of a custom image, or null
     * @param serverUrl region URL, e.g. "http://10.0.0.2:5240/MAAS/"
     */
    DeploymentConfig compose(Machine m, String osRelease, String filetype, String baseImage, String serverUrl) {
        for (String v : new String[] { osRelease, filetype, baseImage }) {
            if (v != null && v.length() > MAX_NAME) {
                throw new IllegalArgumentException("image names are at most " + MAX_NAME + " characters");
            }
        }
        int slash = osRelease == null ? -1 : osRelease.indexOf('/');
        if (slash <= 0 || slash == osRelease.length() - 1) {
            throw new IllegalArgumentException("image '" + osRelease + "' is not of the form os/release");
        }
        String os = osRelease.substring(0, slash);
        String release = osRelease.substring(slash + 1);
        OsHandler handler = registry.require(os);
        String type = filetype == null || filetype.isBlank() ? usualFiletype(handler) : storedFiletype(filetype);
        DeployImage image = new DeployImage(os, release, m.architecture(), m.subarch(), type, null, "preview",
                "custom".equals(os) ? "uploaded" : "stable", baseImage);
        String host = java.net.URI.create(serverUrl).getHost();
        return composer.compose(m, image, DeploySettings.preview(serverUrl, host == null ? "localhost" : host));
    }

    /** Filetypes of synced images, which have no upload spelling. */
    private static final List<String> SYNCED_FILETYPES = List.of("squashfs", "root-image.gz");

    /**
     * The stored filetype for either MAAS spelling, as uploads accept them ("tgz" or "root-tgz", "ddxz" or
     * "root-dd.xz"), or a synced image's ("squashfs").
     */
    static String storedFiletype(String value) {
        String v = value.strip();
        Optional<UploadFiletype> upload = UploadFiletype.find(v);
        if (upload.isPresent()) {
            return upload.get().filetype();
        }
        if (SYNCED_FILETYPES.contains(v)) {
            return v;
        }
        List<String> choices = new ArrayList<>();
        for (UploadFiletype t : UploadFiletype.values()) {
            choices.add(t.upload().equals(t.filetype()) ? t.upload() : t.upload() + " (" + t.filetype() + ")");
        }
        choices.addAll(SYNCED_FILETYPES);
        throw new IllegalArgumentException("Unknown filetype " + v + ". Valid choices: " + String.join(", ", choices)
                + ".");
    }

    /** Synced OSes (those that also commission) come as squashfs, uploads as tarballs or disk images. */
    private static String usualFiletype(OsHandler handler) {
        if (handler.purposes().contains(BootPurpose.COMMISSIONING) && handler.curtinSourceType("squashfs").isPresent()) {
            return "squashfs";
        }
        for (String t : List.of("root-tgz", "root-dd", "squashfs")) {
            if (handler.curtinSourceType(t).isPresent()) {
                return t;
            }
        }
        throw new IllegalArgumentException(handler.name() + " installs none of root-tgz, root-dd, squashfs: give the"
                + " filetype");
    }

    /** The documents as text for a terminal. */
    static String text(DeploymentConfig c) {
        StringBuilder out = new StringBuilder();
        out.append("# ephemeral OS: ").append(c.ephemeralOs()).append('/').append(c.ephemeralRelease()).append('\n');
        out.append("# source: ").append(c.sourceUrl()).append('\n');
        out.append("# network config version: ").append(c.networkVersion()).append('\n');
        c.warnings().forEach(w -> out.append("# warning: ").append(w).append('\n'));
        for (ConfigDocument d : c.documents()) {
            out.append("--- # ").append(d.name()).append(" (").append(d.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .append(")\n").append(d.content());
            if (!d.content().endsWith("\n")) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** The documents as a JSON-serialisable map for the API. */
    static Map<String, Object> json(DeploymentConfig c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ephemeral_osystem", c.ephemeralOs());
        out.put("ephemeral_release", c.ephemeralRelease());
        out.put("source_url", c.sourceUrl());
        out.put("network_version", c.networkVersion());
        out.put("warnings", c.warnings());
        out.put("documents", c.documents().stream().map(d -> Map.of("name", d.name(), "kind",
                d.kind().name().toLowerCase(java.util.Locale.ROOT), "content", d.content())).toList());
        return out;
    }
}
