package io.metalforge.catalog.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

import io.metalforge.api.catalog.BootResource;
import io.metalforge.api.catalog.BootResourceFile;
import io.metalforge.api.catalog.BootResourceSet;
import io.metalforge.api.catalog.NewBootResource;
import io.metalforge.api.catalog.ResourceType;
import io.metalforge.api.catalog.UploadFiletype;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.FormFile;
import io.metalforge.api.inspect.ImageDoctor;
import io.metalforge.api.inspect.ImageExpectation;
import io.metalforge.api.inspect.ImageHead;
import io.metalforge.api.inspect.ImageReport;
import io.metalforge.api.inspect.InspectionSession;
import io.metalforge.api.inspect.Severity;
import io.metalforge.api.metrics.MetricsRecorder;
import io.metalforge.api.os.OsHandlerRegistry;
import io.metalforge.api.platform.ExtensionNotInstalledException;
import io.metalforge.api.store.BlobNames;
import io.metalforge.api.store.BlobVerificationException;
import io.metalforge.api.store.InsufficientSpaceException;
import io.metalforge.api.store.ResumableBlobStore;
import io.metalforge.api.store.ResumableBlobStore.Pin;

/**
 * Custom image upload as MAAS v2 does it (spec §3): the create form with its validation rules and messages, then
 * chunks appended to a resumable partial while the doctor reads the same bytes, verified when the size is reached.
 */
@Component(service = UploadService.class, configurationPid = "io.metalforge.catalog.upload")
@Designate(ocd = UploadConfig.class)
public class UploadService {

    private static final Pattern CENTOS_RESERVED = Pattern.compile("^centos\\d\\d?$");
    private static final Pattern BASE_IMAGE = Pattern.compile("^[^/\\s]+/[^/\\s]+$");
    private static final String REQUIRED = "This field is required.";

    private final CatalogService catalog;
    private final ResumableBlobStore store;
    private final ImageDoctor doctor;
    private final OsHandlerRegistry osHandlers;
    private final String commissioningBase;
    private final List<String> additionalArchitectures;
    private final boolean syncedArchitecturesOnly;
    /** Doctor sessions of uploads in progress, by file id; lost on restart, then the doctor reads the blob. */
    private final Map<Long, InspectionSession> sessions = new ConcurrentHashMap<>();
    private final Map<Long, Object> fileLocks = new ConcurrentHashMap<>();

    /** Counts stored upload bytes for /MAAS/metrics; null while the metrics bundle is absent. */
    private volatile MetricsRecorder metrics;

    /** The metrics' counters, when the metrics bundle is there (public for platforms wired without OSGi). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setMetrics(MetricsRecorder recorder) {
        metrics = recorder;
    }

    public void unsetMetrics(MetricsRecorder recorder) {
        if (metrics == recorder) {
            metrics = null;
        }
    }

    @Activate
    public UploadService(@Reference CatalogService catalog, @Reference ImageDoctor doctor,
            @Reference OsHandlerRegistry osHandlers, UploadConfig config) {
        this(catalog, catalog.store(), doctor, osHandlers, config.commissioning__base__image(),
                List.of(config.additional__architectures()), config.synced__architectures__only());
    }

    UploadService(CatalogService catalog, ResumableBlobStore store, ImageDoctor doctor, OsHandlerRegistry osHandlers,
            String commissioningBase, List<String> additionalArchitectures, boolean syncedArchitecturesOnly) {
        this.catalog = catalog;
        this.store = store;
        this.doctor = doctor;
        this.osHandlers = osHandlers;
        this.commissioningBase = commissioningBase;
        this.additionalArchitectures = additionalArchitectures;
        this.syncedArchitecturesOnly = syncedArchitecturesOnly;
    }

    CatalogService catalog() {
        return catalog;
    }

    // ---- create (POST boot-resources/)

    /** A validated create request. */
    record Validated(String name, String architecture, String sha256, long size, String title, UploadFiletype filetype,
            String baseImage, boolean keepOld) {
    }

    /**
     * Validates and saves a create request; {@code content} is the optional file part of clients that send the image
     * with the form (its size and sha256 are then computed here).
     */
    BootResource create(Map<String, List<String>> parameters, Optional<FormFile> content) throws ApiException {
        Map<String, String> params = new LinkedHashMap<>();
        parameters.forEach((k, v) -> {
            if (!v.isEmpty() && v.get(0) != null) {
                params.put(k, v.get(0));
            }
        });
        if (content.isPresent() && !params.containsKey("sha256") && !params.containsKey("size")) {
            params.put("sha256", sha256Of(content.get()));
            params.put("size", Long.toString(content.get().size()));
        }
        Validated v = validate(params);
        BootResource resource = save(v);
        if (content.isPresent()) {
            BootResourceFile file = newestFile(resource.id()).orElseThrow();
            if (!file.complete()) {
                try (InputStream in = content.get().open()) {
                    appendChunk(resource.id(), file.id(), in, content.get().size());
                } catch (IOException e) {
                    throw new ApiException(500, "Could not store the content: " + e.getMessage());
                }
            }
        }
        return catalog.resource(resource.id()).orElseThrow();
    }

    Validated validate(Map<String, String> params) throws ApiException {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        String name = params.getOrDefault("name", "").strip();
        String architecture = params.getOrDefault("architecture", "").strip();
        String filetypeValue = params.getOrDefault("filetype", "").strip();
        String sha256 = params.getOrDefault("sha256", "").strip().toLowerCase(Locale.ROOT);
        String sizeValue = params.getOrDefault("size", "").strip();
        String title = params.getOrDefault("title", "");

        if (name.isEmpty()) {
            error(errors, "name", REQUIRED);
        } else if (name.length() > 255) {
            error(errors, "name", "Ensure this value has at most 255 characters (it has " + name.length() + ").");
        } else {
            int slash = name.indexOf('/');
            if (slash >= 0 && osHandlers.find(name.substring(0, slash)).isEmpty()) {
                error(errors, "name", notInstalled(name.substring(0, slash)));
            } else if (reservedNames().contains(name) || CENTOS_RESERVED.matcher(name).matches()) {
                error(errors, "name", name + " is a reserved name");
            }
        }

        if (architecture.isEmpty()) {
            error(errors, "architecture", REQUIRED);
        } else if (!usableArchitectures().contains(architecture)) {
            error(errors, "architecture", "Select a valid choice. " + architecture
                    + " is not one of the available choices: " + choices(usableArchitectures()) + ".");
        }

        UploadFiletype filetype = UploadFiletype.TGZ;
        if (!filetypeValue.isEmpty()) {
            Optional<UploadFiletype> found = UploadFiletype.find(filetypeValue)
                    .filter(t -> t != UploadFiletype.SELF_EXTRACTING);
            if (found.isEmpty()) {
                error(errors, "filetype", "Select a valid choice. " + filetypeValue
                        + " is not one of the available choices. " + filetypeChoices(false));
            } else {
                filetype = found.get();
            }
        }

        if (sha256.isEmpty()) {
            error(errors, "sha256", REQUIRED);
        } else if (sha256.length() < 64) {
            error(errors, "sha256", "Ensure this value has at least 64 characters (it has " + sha256.length() + ").");
        } else if (sha256.length() > 64) {
            error(errors, "sha256", "Ensure this value has at most 64 characters (it has " + sha256.length() + ").");
        } else if (!BlobNames.isSha256(sha256)) {
            error(errors, "sha256", "Enter a valid sha256: 64 hexadecimal characters.");
        }

        long size = -1;
        if (sizeValue.isEmpty()) {
            error(errors, "size", REQUIRED);
        } else {
            try {
                size = Long.parseLong(sizeValue);
                if (size < 0) {
                    error(errors, "size", "Ensure this value is greater than or equal to 0.");
                }
            } catch (NumberFormatException e) {
                error(errors, "size", "Enter a whole number.");
            }
        }

        String baseImage = "";
        if (errors.get("name") == null && !name.isEmpty() && isCustom(name)) {
            baseImage = params.getOrDefault("base_image", "").strip();
            if (baseImage.isEmpty()) {
                baseImage = catalog.resource(ResourceType.UPLOADED, name, architecture).map(BootResource::baseImage)
                        .filter(b -> !b.isEmpty()).orElse(commissioningBase);
            }
            baseImage = baseImage.toLowerCase(Locale.ROOT);
            if (!BASE_IMAGE.matcher(baseImage).matches()) {
                error(errors, "base_image", "a base image must follow the format: <osystem>/<series>");
            } else {
                baseImageProblem(baseImage).ifPresent(problem -> error(errors, "base_image", problem));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        return new Validated(name, architecture, sha256, size, title, filetype, baseImage,
                truthy(params.get("keep_old")));
    }

    private BootResource save(Validated v) throws ApiException {
        // the same content must have one size, whoever stored it
        Optional<BootResourceFile> twin = catalog.anyFileWithSha(v.sha256());
        Optional<Long> storedSize;
        try {
            storedSize = store.size(v.sha256());
        } catch (IOException e) {
            throw new ApiException(500, "The image store cannot be read");
        }
        if (twin.map(f -> f.size() != v.size()).orElse(false) || storedSize.map(s -> s != v.size()).orElse(false)) {
            throw ApiException.badRequest("File already exists with sha256 that is of different size.");
        }
        // the resource keeps the base image it was first given (describeUpload below), so that is what is expected
        String baseImage = catalog.resource(ResourceType.UPLOADED, v.name(), v.architecture())
                .map(BootResource::baseImage).filter(b -> !b.isEmpty()).orElse(v.baseImage());
        ImageExpectation expectation = new ImageExpectation(v.filetype().filetype(), v.architecture(), baseImage);
        // content already stored is checked as if it had just arrived: its twin was declared and judged differently
        ImageReport stored = storedSize.isPresent() ? inspectStored(v.sha256(), expectation) : null;
        BootResource resource = catalog.findOrCreate(new NewBootResource(ResourceType.UPLOADED, v.name(),
                v.architecture(), "", v.baseImage(), "", "", false, Map.of()));
        String subarch = v.architecture().substring(v.architecture().indexOf('/') + 1);
        catalog.describeUpload(resource.id(), Map.of("subarches", subarch, "title", v.title()), v.baseImage());
        BootResourceSet set = catalog.createSet(resource.id(), null, "uploaded");
        BootResourceFile file;
        // pinned while the row is written, so garbage collection cannot take content this file counts as stored
        try (Pin pin = store.pin(v.sha256())) {
            file = catalog.addFile(set.id(), v.filetype().filename(), v.filetype().filetype(), v.sha256(), v.size(),
                    Map.of());
            if (file.complete()) {
                try {
                    // stored between the check above and the row (a sync, a parallel upload): check it now
                    ImageReport report = stored != null ? stored : inspectStored(v.sha256(), expectation);
                    catalog.attachReport(file.id(), withNamingAdvice(report, resource, file));
                } catch (ApiException e) {
                    discardNewSet(resource.id(), set.id());
                    throw e;
                }
            }
        }
        if (!v.keepOld()) {
            // re-uploading to a name and architecture replaces the image (MAAS LP:1660418)
            List<BootResourceFile> older = new ArrayList<>();
            for (BootResourceSet other : catalog.sets(resource.id())) {
                if (other.id() != set.id()) {
                    older.addAll(catalog.files(other.id()));
                }
            }
            older.forEach(f -> discardSession(f.id()));
            catalog.deleteFiles(older);
        }
        return catalog.resource(resource.id()).orElseThrow();
    }

    // ---- preview (metalforge:inspect)

    /** What an upload would be judged against, and the report it would carry. */
    record Preview(ImageExpectation expectation, ImageReport report) {
    }

    /**
     * Judges {@code content} exactly as an upload with these form values would be judged (the same validation, the
     * same default base image, the same filetype check and doctor, the same naming advice), storing nothing. The
     * content's sha256 is not part of a preview.
     */
    Preview preview(InputStream content, long size, Map<String, String> form) throws ApiException, IOException {
        Map<String, String> params = new LinkedHashMap<>(form);
        params.put("sha256", "0".repeat(64));
        params.put("size", Long.toString(size));
        Validated v = validate(params);
        String baseImage = catalog.resource(ResourceType.UPLOADED, v.name(), v.architecture())
                .map(BootResource::baseImage).filter(b -> !b.isEmpty()).orElse(v.baseImage());
        ImageExpectation expectation = new ImageExpectation(v.filetype().filetype(), v.architecture(), baseImage);
        ImageHead head = new ImageHead(content);
        Optional<String> mismatch = doctor.checkDeclaredFormat(expectation.filetype(), head.stream());
        ImageReport report = mismatch.isPresent()
                ? ImageReport.of(doctor.describeFormat(head.replay()),
                        List.of(new io.metalforge.api.inspect.Finding(Severity.REJECTED, mismatch.get())), null, null,
                        head.length())
                : doctor.inspect(head.replay(), expectation);
        return new Preview(expectation, withNamingAdvice(report, v.name(), expectation.filetype()));
    }

    // ---- v3 single request (POST /MAAS/a/v3/custom_images)

    private static final Pattern V3_ARCHITECTURE = Pattern.compile("([a-zA-Z0-9]+)/([a-zA-Z0-9.-]+)");

    /**
     * MAAS v3's one-request upload: metadata in headers ({@code name}, {@code sha256}, {@code architecture},
     * {@code file-type}, {@code title}, {@code base-image}), the raw image as the body, its size from
     * Content-Length. All or nothing: on any failure the rows made for it are removed again.
     */
    BootResource uploadWhole(Map<String, String> headers, InputStream body, long contentLength) throws ApiException {
        Map<String, String> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT).replace('_', '-'), v == null ? "" : v.strip()));
        String name = h.getOrDefault("name", "");
        String architecture = h.getOrDefault("architecture", "");
        String sha256 = h.getOrDefault("sha256", "").toLowerCase(Locale.ROOT);
        String fileType = h.getOrDefault("file-type", "tgz");
        if (name.isEmpty() || architecture.isEmpty() || sha256.isEmpty()) {
            throw ApiException.badRequest("The headers name, sha256 and architecture are required.");
        }
        if (name.length() > 255) {
            throw ApiException.badRequest("The name has " + name.length() + " characters; at most 255 are allowed.");
        }
        if (name.startsWith("ubuntu/")) {
            throw ApiException.badRequest("To upload an Ubuntu custom image you have to specify 'custom' as the OS");
        }
        int slash = name.indexOf('/');
        if (slash >= 0 && osHandlers.find(name.substring(0, slash)).isEmpty()) {
            throw ApiException.badRequest(notInstalled(name.substring(0, slash)));
        }
        if (reservedNames().contains(name) || CENTOS_RESERVED.matcher(name).matches()) {
            throw ApiException.badRequest(name + " is a reserved name");
        }
        if (!V3_ARCHITECTURE.matcher(architecture).matches()) {
            throw ApiException.badRequest("Not a valid architecture string, needs to be in form '<arch>/<subarch>'");
        }
        if (!usableArchitectures().contains(architecture)) {
            throw ApiException.badRequest(architecture + " is not a valid usable architecture; usable: "
                    + choices(usableArchitectures()));
        }
        UploadFiletype filetype = UploadFiletype.find(fileType)
                .orElseThrow(() -> ApiException.badRequest("Invalid file type " + fileType + ". " + filetypeChoices(true)));
        if (!BlobNames.isSha256(sha256)) {
            throw ApiException.badRequest("Invalid sha256 " + sha256);
        }
        if (contentLength <= 0) {
            throw ApiException.badRequest("Missing data.");
        }
        String baseImage = "";
        if (isCustom(name)) {
            baseImage = h.getOrDefault("base-image", "");
            if (baseImage.isEmpty()) {
                baseImage = catalog.resource(ResourceType.UPLOADED, name, architecture).map(BootResource::baseImage)
                        .filter(b -> !b.isEmpty()).orElse(commissioningBase);
            }
            baseImage = baseImage.toLowerCase(Locale.ROOT);
            if (!BASE_IMAGE.matcher(baseImage).matches()) {
                throw ApiException.badRequest("Base image must be in the format: <osystem>/<version>");
            }
            Optional<String> problem = baseImageProblem(baseImage);
            if (problem.isPresent()) {
                throw ApiException.badRequest(problem.get());
            }
        }
        BootResource resource = save(new Validated(name, architecture, sha256, contentLength, h.getOrDefault("title", ""),
                filetype, baseImage, false));
        BootResourceFile file = newestFile(resource.id()).orElseThrow();
        if (!file.complete()) {
            try {
                appendChunk(resource.id(), file.id(), body, contentLength);
            } catch (ApiException e) {
                discardNewSet(resource.id(), file.setId());
                switch (e.getMessage()) {
                    case "Saved content does not match given SHA256 value." -> throw ApiException.badRequest(
                            "Provided SHA256 does not match calculated one. Make sure the file uploaded has the SHA256 "
                                    + "equal to '" + sha256 + "'");
                    default -> throw e;
                }
            }
        }
        return catalog.resource(resource.id()).orElseThrow();
    }

    /** Removes a set made for a refused upload, and its resource when nothing else is left in it. */
    private void discardNewSet(long resourceId, long setId) {
        catalog.deleteSet(setId);
        if (catalog.sets(resourceId).isEmpty()) {
            catalog.deleteResource(resourceId);
        }
    }

    /**
     * Judges content that is already in the store for this upload's declaration, with the same checks and messages
     * as content that arrives in chunks: the declared format against the first bytes, then the doctor's verdict.
     */
    private ImageReport inspectStored(String sha256, ImageExpectation expectation) throws ApiException {
        try (InputStream in = store.open(sha256, 0)) {
            ImageHead head = new ImageHead(in);
            Optional<String> mismatch = doctor.checkDeclaredFormat(expectation.filetype(), head.stream());
            if (mismatch.isPresent()) {
                throw ApiException.badRequest(mismatch.get());
            }
            ImageReport report = doctor.inspect(head.replay(), expectation);
            if (report.verdict() == Severity.REJECTED) {
                throw rejected(report);
            }
            return report;
        } catch (IOException e) {
            throw new ApiException(500, "The image store cannot be read");
        }
    }

    private static ApiException rejected(ImageReport report) {
        return ApiException.badRequest("Image rejected: " + String.join("; ", report.reasons(Severity.REJECTED)));
    }

    /** The v3 ImageResponse. */
    static Map<String, Object> v3Image(BootResource r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", "Image");
        json.put("id", r.id());
        int slash = r.name().indexOf('/');
        json.put("os", slash < 0 ? "custom" : r.name().substring(0, slash));
        json.put("release", slash < 0 ? r.name() : r.name().substring(slash + 1));
        json.put("title", r.extra().getOrDefault("title", ""));
        json.put("architecture", r.architecture());
        json.put("_links", Map.of("self", Map.of("href", "/MAAS/a/v3/custom_images/" + r.id())));
        return json;
    }

    private Optional<BootResourceFile> newestFile(long resourceId) {
        List<BootResourceSet> sets = catalog.sets(resourceId);
        if (sets.isEmpty()) {
            return Optional.empty();
        }
        return catalog.files(sets.get(sets.size() - 1).id()).stream().findFirst();
    }

    // ---- chunks (PUT boot-resources/{resource_id}/upload/{id}/)

    /** Bytes that arrived for an incomplete file (its size once complete). */
    long received(long resourceId, long fileId) throws ApiException {
        BootResourceFile file = fileOf(resourceId, fileId);
        if (file.complete()) {
            return file.size();
        }
        try {
            return store.partialLength(Long.toString(fileId));
        } catch (IOException e) {
            throw new ApiException(500, "The image store cannot be read");
        }
    }

    /** Appends one chunk of exactly {@code contentLength} bytes; completes the file when its size is reached. */
    void appendChunk(long resourceId, long fileId, InputStream body, long contentLength) throws ApiException {
        BootResource resource = catalog.resource(resourceId)
                .orElseThrow(() -> ApiException.notFound("No BootResource matches the given query."));
        BootResourceFile file = fileOf(resourceId, fileId);
        if (resource.type() != ResourceType.UPLOADED) {
            throw ApiException.forbidden("Cannot upload to a resource of type: " + resource.type().code() + ".");
        }
        if (contentLength <= 0) {
            throw ApiException.badRequest("Missing data.");
        }
        body = new ClientBody(body);
        synchronized (fileLocks.computeIfAbsent(fileId, k -> new Object())) {
            file = catalog.file(fileId).orElseThrow(() -> ApiException.notFound("No BootResourceFile matches the given query."));
            if (file.complete()) {
                throw ApiException.badRequest("Cannot upload to a complete file.");
            }
            String uploadId = Long.toString(fileId);
            try (Pin pin = store.pin(file.sha256())) {
                if (store.contains(file.sha256())) {
                    // the same content was stored meanwhile (another upload, a sync): nothing more to receive, but
                    // it is judged for this file's declaration, not given the verdict of whoever stored it
                    store.discardPartial(uploadId);
                    discardSession(fileId);
                    catalog.markComplete(fileId, withNamingAdvice(inspectStored(file.sha256(),
                            expectation(resource, file)), resource, file));
                    return;
                }
                long received = store.partialLength(uploadId);
                if (received + contentLength > file.size()) {
                    store.discardPartial(uploadId);
                    discardSession(fileId);
                    throw ApiException.badRequest("Too much data received.");
                }
                InputStream data = body;
                ImageExpectation expectation = expectation(resource, file);
                if (received == 0) {
                    // the chunk's own bytes only: a first chunk shorter than the check's reach is judged on itself
                    ImageHead head = new ImageHead(body, contentLength);
                    Optional<String> mismatch = doctor.checkDeclaredFormat(file.filetype(), head.stream());
                    if (mismatch.isPresent()) {
                        throw ApiException.badRequest(mismatch.get());
                    }
                    data = new SequenceInputStream(head.replay(), body);
                    discardSession(fileId);
                    sessions.put(fileId, doctor.open(expectation));
                }
                InspectionSession session = sessions.get(fileId);
                long length;
                try {
                    length = store.appendPartial(uploadId, file.size(),
                            session == null ? data : new TeeInputStream(data, session), contentLength);
                    MetricsRecorder.orNone(metrics).uploadedBytes(contentLength);
                } catch (InsufficientSpaceException e) {
                    discardSession(fileId);
                    throw new ApiException(507, e.getMessage() + ". Nothing of this chunk was stored; free space "
                            + "(delete unused images, metalforge:images gc) and send it again.");
                } catch (BlobVerificationException e) {
                    discardSession(fileId);
                    throw ApiException.badRequest("Content-Length doesn't equal size of received data.");
                } catch (IOException e) {
                    // connection dropped: the partial keeps what arrived before this chunk; the doctor rereads later
                    discardSession(fileId);
                    throw e;
                }
                Optional<ImageReport> early = session == null ? Optional.empty() : session.reportIfDone();
                if (early.isPresent() && early.get().verdict() == Severity.REJECTED) {
                    // hostile or broken content: stop the client now rather than after the last chunk
                    store.discardPartial(uploadId);
                    sessions.remove(fileId);
                    throw rejected(early.get());
                }
                if (length == file.size()) {
                    complete(file, expectation);
                }
            } catch (ClientBody.ClientGone e) {
                throw e.toApiException(receivedOrZero(uploadId));
            } catch (IOException e) {
                if (ClientBody.isDiskFull(e)) {
                    throw new ApiException(507, "The image store's disk is full. " + receivedOrZero(uploadId)
                            + " bytes of this file are kept; free space (delete unused images, metalforge:images gc) "
                            + "and send the rest from there.");
                }
                throw new ApiException(500, "The image store could not store this chunk");
            }
        }
    }

    private long receivedOrZero(String uploadId) {
        try {
            return store.partialLength(uploadId);
        } catch (IOException e) {
            return 0;
        }
    }

    private void complete(BootResourceFile file, ImageExpectation expectation) throws ApiException, IOException {
        String uploadId = Long.toString(file.id());
        InspectionSession session = sessions.remove(file.id());
        ImageReport report = null;
        if (session != null) {
            try {
                report = session.finish();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                session.close();
                throw new ApiException(500, "Interrupted");
            } catch (IllegalStateException e) {
                report = null; // the doctor gave up waiting for a stalled client: it reads the stored blob below
            }
            if (report != null && report.verdict() == Severity.REJECTED) {
                store.discardPartial(uploadId);
                throw rejected(report);
            }
        }
        try {
            store.completePartial(uploadId, file.sha256(), file.size());
        } catch (BlobVerificationException e) {
            throw ApiException.badRequest("Saved content does not match given SHA256 value.");
        }
        if (report == null) {
            // the upload outlived a restart: its first bytes were fed to a doctor that is gone, so read it once more
            try (InputStream in = store.open(file.sha256(), 0)) {
                report = doctor.inspect(in, expectation);
            }
        }
        catalog.markComplete(file.id(), withNamingAdvice(report, catalog.resource(resourceIdOf(file)).orElseThrow(),
                file));
    }

    private long resourceIdOf(BootResourceFile file) {
        return catalog.set(file.setId()).map(BootResourceSet::resourceId).orElseThrow();
    }

    /**
     * Adds what the name implies for deployment: a disk image named {@code <os>/<name>} is deployed as that OS, and
     * the OSes that install root tarballs only fail it at deploy time ("no kernels", MissingBootImage).
     */
    ImageReport withNamingAdvice(ImageReport report, BootResource resource, BootResourceFile file) {
        return withNamingAdvice(report, resource.name(), file.filetype());
    }

    private ImageReport withNamingAdvice(ImageReport report, String name, String filetype) {
        int slash = name.indexOf('/');
        if (report == null || slash < 0 || name.startsWith("custom/")) {
            return report;
        }
        String os = name.substring(0, slash);
        // an OS whose handler is gone meanwhile gets no advice: its name was valid when the upload began
        boolean installable = osHandlers.find(os).map(h -> h.curtinSourceType(filetype).isPresent())
                .orElse(true);
        if (installable) {
            return report;
        }
        List<io.metalforge.api.inspect.Finding> findings = new ArrayList<>(report.findings());
        findings.add(new io.metalforge.api.inspect.Finding(Severity.UNDEPLOYABLE, "a " + filetype
                + " image named " + name + " is deployed as " + os + ", which installs only root tarballs: upload it "
                + "as custom/" + name.substring(slash + 1) + " with base_image=" + os + "/<release>"));
        return ImageReport.of(report.format(), findings, report.rootFilesystem(), report.disk(), report.bytesRead());
    }

    private void discardSession(long fileId) {
        InspectionSession old = sessions.remove(fileId);
        if (old != null) {
            old.close();
        }
    }

    private BootResourceFile fileOf(long resourceId, long fileId) throws ApiException {
        BootResourceFile file = catalog.file(fileId)
                .orElseThrow(() -> ApiException.notFound("No BootResourceFile matches the given query."));
        long owner = catalog.set(file.setId()).map(BootResourceSet::resourceId).orElse(-1L);
        if (owner != resourceId) {
            throw ApiException.notFound("No BootResourceFile matches the given query.");
        }
        return file;
    }

    static ImageExpectation expectation(BootResource resource, BootResourceFile file) {
        return new ImageExpectation(file.filetype(), resource.architecture(), resource.baseImage());
    }

    // ---- rules

    private static boolean isCustom(String name) {
        return !name.contains("/") || name.startsWith("custom/");
    }

    /** os/release of every synced image, each part alone, and every installed OS's name. */
    Set<String> reservedNames() {
        Set<String> reserved = new TreeSet<>(osHandlers.names());
        for (BootResource r : catalog.resources(Optional.of(ResourceType.SYNCED))) {
            reserved.add(r.name());
            reserved.addAll(Arrays.asList(r.name().split("/")));
        }
        return reserved;
    }

    /** Both MAAS spellings of every upload filetype: the form value and the stored filetype (v3 adds one). */
    static String filetypeChoices(boolean v3) {
        List<String> choices = new ArrayList<>();
        for (UploadFiletype t : UploadFiletype.values()) {
            if (t == UploadFiletype.SELF_EXTRACTING && !v3) {
                continue;
            }
            choices.add(t.upload().equals(t.filetype()) ? t.upload() : t.upload() + " (" + t.filetype() + ")");
        }
        return "Valid choices: " + String.join(", ", choices) + ".";
    }

    /**
     * Those of synced images and the configured additional ones; unless the MAAS rule is kept
     * ({@code synced_architectures_only}), also every architecture a wired OS handler supports, so that a fresh,
     * air-gapped appliance can take a custom image before anything was synced.
     */
    List<String> usableArchitectures() {
        Set<String> all = new TreeSet<>(catalog.usableArchitectures());
        all.addAll(additionalArchitectures);
        if (!syncedArchitecturesOnly) {
            all.addAll(osHandlers.architectures());
        }
        return List.copyOf(all);
    }

    /** Why a well-formed base image "os/release" cannot be used, naming the valid choices; empty when it can. */
    private Optional<String> baseImageProblem(String baseImage) {
        try {
            osHandlers.requireCustomImageBase(baseImage);
            return Optional.empty();
        } catch (ExtensionNotInstalledException | IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private String notInstalled(String os) {
        return new ExtensionNotInstalledException(osHandlers.family(), os, osHandlers.names()).getMessage();
    }

    private static String choices(List<String> values) {
        return values.isEmpty() ? "none" : String.join(", ", values);
    }

    private static boolean truthy(String value) {
        return value != null && Set.of("true", "1", "on", "yes").contains(value.strip().toLowerCase(Locale.ROOT));
    }

    private static void error(Map<String, List<String>> errors, String field, String message) {
        errors.computeIfAbsent(field, k -> new ArrayList<>()).add(message);
    }

    private static String sha256Of(FormFile file) throws ApiException {
        try (InputStream in = file.open()) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new ApiException(500, "Could not read the content");
        }
    }
}
