/**
 * The Ubuntu OS handler ({@code metalforge.os=ubuntu}): its releases and titles, and what a custom image on an
 * Ubuntu base must carry, built on the API's handler SDK ({@code io.metalforge.api.os.support}).
 */
package io.metalforge.os.ubuntu.internal;
