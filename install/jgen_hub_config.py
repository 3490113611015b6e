# JupyterHub's configuration for a class using jgen. install/jgen-hub sets the JGEN_HUB_* variables it reads;
# see the top of that script for what each flag means.
import os
import pwd
import shutil

env = os.environ
state = env["JGEN_HUB_DIR"]
tutorials = os.path.join(state, "tutorials")
dummy = env["JGEN_HUB_AUTHENTICATOR"] == "dummy"

c.JupyterHub.ip = env["JGEN_HUB_IP"]
c.JupyterHub.port = int(env["JGEN_HUB_PORT"])
# The hub's own API and the proxy's API stay on the loopback whatever --ip says.
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env["JGEN_HUB_PORT_INTERNAL"])
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:%s" % env["JGEN_HUB_PROXY_API_PORT"]

c.Authenticator.allowed_users = set(env["JGEN_HUB_USERS"].split())
c.Authenticator.admin_users = set(env["JGEN_HUB_ADMIN"].split())
if dummy:
    c.JupyterHub.authenticator_class = "jupyterhub.auth.DummyAuthenticator"
    c.DummyAuthenticator.password = env["JGEN_HUB_PASSWORD"]
    c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
    c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(state, "users", "{username}")
    if os.getuid() == 0:
        c.Spawner.args = ["--allow-root"]

# The classic Notebook, which jgen's tests drive; JupyterHub would pick jupyter_server where one is installed.
environment = {"JUPYTERHUB_SINGLEUSER_APP": "notebook.notebookapp.NotebookApp"}
if env.get("JGEN_HUB_JUPYTER_PATH"):
    environment["JUPYTER_PATH"] = env["JGEN_HUB_JUPYTER_PATH"]
c.Spawner.environment = environment
c.Spawner.default_url = "/tree"
c.Spawner.mem_limit = env["JGEN_HUB_MEM_LIMIT"]
c.Spawner.cpu_limit = float(env["JGEN_HUB_CPU_LIMIT"])
# A JVM and Jupyter starting on a machine busy with a class's training take longer than the defaults allow.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 120


def copy_missing(source, folder, owner):
    """Copies the tutorials into a user's folder, leaving every file the user already has as it is.

    The hub runs as root and the folder is the user's: every path below it is opened without following links and
    every file is created exclusively, so a link the user left there cannot turn the hub's writes elsewhere.
    """
    parent, name = os.path.split(folder)
    os.makedirs(parent, exist_ok=True)
    parent_fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        copy_into(source, parent_fd, name, owner)
    finally:
        os.close(parent_fd)


def copy_into(source, parent_fd, name, owner):
    try:
        os.mkdir(name, 0o755, dir_fd=parent_fd)
        created = True
    except FileExistsError:
        created = False
    try:
        folder_fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=parent_fd)
    except OSError:
        return  # a link or a file where the folder would go: the user's, left alone
    try:
        if created and owner:
            os.fchown(folder_fd, owner.pw_uid, owner.pw_gid)
        for entry in os.scandir(source):
            if entry.is_dir(follow_symlinks=False):
                copy_into(entry.path, folder_fd, entry.name, owner)
                continue
            try:
                out = os.open(entry.name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644, dir_fd=folder_fd)
            except FileExistsError:
                continue
            with os.fdopen(out, "wb") as target, open(entry.path, "rb") as tutorial:
                if owner:
                    os.fchown(out, owner.pw_uid, owner.pw_gid)
                shutil.copyfileobj(tutorial, target)
    finally:
        os.close(folder_fd)


def prepare_user(spawner):
    """Each user's own folder with the tutorials, and the kernel sized to the user's share of the machine."""
    name = spawner.user.name
    if dummy:
        folder, owner = os.path.join(state, "users", name), None
    else:
        owner = pwd.getpwnam(name)
        folder = os.path.join(owner.pw_dir, "jgen")
    copy_missing(tutorials, folder, owner)
    spawner.notebook_dir = folder
    threads = str(max(1, int(spawner.cpu_limit)))
    # The kernel's JVM reads JDK_JAVA_OPTIONS; libtorch takes its thread count from OMP_NUM_THREADS.
    spawner.environment = dict(spawner.environment, OMP_NUM_THREADS=threads,
                               JDK_JAVA_OPTIONS="-XX:MaxRAM=%d -XX:ActiveProcessorCount=%s" % (spawner.mem_limit, threads))


c.Spawner.pre_spawn_hook = prepare_user
