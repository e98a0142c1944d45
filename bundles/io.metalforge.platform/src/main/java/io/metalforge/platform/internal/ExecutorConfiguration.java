package io.metalforge.platform.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;


/** Settings of the managed threads, PID {@code io.metalforge.platform.executor}. */
@ObjectClassDefinition(name = "Metalforge managed threads")
public @interface ExecutorConfiguration {

    @AttributeDefinition(name = "Threads per component", description = "At most this many threads run one "
            + "component's submitted and scheduled tasks at once (its pools have their own bounds)", min = "1",
            max = "64")
    int threads() default 4;

    @AttributeDefinition(name = "Shutdown wait (s)", description = "How long a stopping component waits for its "
            + "interrupted tasks to end before naming the threads that did not", min = "0", max = "300")
    int shutdown__seconds() default 5;
}
