package io.metalforge.api.catalog;

/**
 * One sample of {@code maas_custom_static_images_uploaded{base_image,file_type}}: complete file rows of resources
 * with a non-empty base image, counted across all sets (a refused or unfinished upload is not an uploaded image).
 */
public record UploadedImageCount(String baseImage, String fileType, long count) {
}
