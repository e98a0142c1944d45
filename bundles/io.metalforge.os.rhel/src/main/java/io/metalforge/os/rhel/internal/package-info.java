/**
 * The Red Hat Enterprise Linux OS handler ({@code metalforge.os=rhel}): its releases, titles and the facts the
 * platform asks an OS handler, built on the API's handler SDK ({@code io.metalforge.api.os.support}).
 */
package io.metalforge.os.rhel.internal;
