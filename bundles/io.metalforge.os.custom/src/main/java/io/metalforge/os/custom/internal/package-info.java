/**
 * The handler of uploaded custom images ({@code metalforge.os=custom}): the release is the image's own name; the OS
 * it really is comes from its base image, which the composer resolves through the base's handler.
 */
package io.metalforge.os.custom.internal;
