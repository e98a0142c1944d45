package io.metalforge.training;

import java.lang.instrument.Instrumentation;

/**
 * A Java agent that write-class-archive.sh loads into the training JVM just before it stops it: it links every class
 * the JVM has loaded so far, so the class-data archive the JVM writes at exit holds them too. JDK 17 archives linked
 * classes only, and a start loads hundreds of classes it never links: the verifier's checks of archived classes
 * (that a class is assignable to another) load the classes they name, which the start then read from their jars
 * (270 of H2's alone) instead of mapping them. Asking for a class's constructors makes the JVM link it (verify and
 * prepare it, without running its static initialiser). One pass: the classes that pass loads for the constructors'
 * parameter types stay unlinked and out of the archive, so it grows by what the start loads only.
 */
public final class LinkLoadedClasses {

    private LinkLoadedClasses() {
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
            try {
                loaded.getDeclaredConstructors();
            } catch (Throwable notLinkable) {
                // one the JVM cannot link (a missing optional dependency, say) stays out of the archive, as before
            }
        }
    }
}
