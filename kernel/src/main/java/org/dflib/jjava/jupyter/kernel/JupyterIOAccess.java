package org.dflib.jjava.jupyter.kernel;

import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;

/**
 * jgen replaces the base kernel's execute handler (to report the user's own exception name, which
 * the base cannot) and needs the two stream hooks the base keeps package-protected.
 */
public final class JupyterIOAccess {
    private JupyterIOAccess() {}

    public static void attach(JupyterIO io, ShellReplyEnvironment env) {
        io.setEnv(env);
    }

    public static void detach(JupyterIO io, ShellReplyEnvironment env) {
        io.retractEnv(env);
    }
}
