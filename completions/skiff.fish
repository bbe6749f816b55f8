# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_skiff_global_optspecs
    string join \n root= runroot= log-level= storage-driver= v/version h/help
end

function __fish_skiff_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_skiff_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_skiff_using_subcommand
    set -l cmd (__fish_skiff_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c skiff -n "__fish_skiff_needs_command" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_needs_command" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_needs_command" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_needs_command" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_needs_command" -s v -l version -d 'Print the version'
complete -c skiff -n "__fish_skiff_needs_command" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "run" -d 'Run a command in a new container'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "create" -d 'Create but do not start a container'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "start" -d 'Start one or more containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "ps" -d 'List containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "list" -d 'List containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "stop" -d 'Stop one or more containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "kill" -d 'Kill one or more running containers with a specific signal'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "rm" -d 'Remove one or more containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "restart" -d 'Restart one or more containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "wait" -d 'Block on one or more containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "logs" -d 'Fetch the logs of one or more containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "exec" -d 'Run a process in a running container'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "container" -d 'Manage containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "rename" -d 'Rename an existing container'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "port" -d 'List port mappings or a specific mapping for the container'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "top" -d 'Display the running processes of a container'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "diff" -d 'Inspect changes to the container\'s file systems'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "export" -d 'Export a container\'s filesystem contents as a tar archive'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "commit" -d 'Create new image based on the changed container'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "cp" -d 'Copy files/folders between a container and the local filesystem'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "attach" -d 'Attach to a running container'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "image" -d 'Manage images'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "images" -d 'List images in local storage'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "build" -d 'Build an image using instructions from Containerfiles'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "builder" -d 'Manage the build cache'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "buildx" -d 'Docker\'s buildx, for `buildx build`'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "history" -d 'Display the history of an image'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "load" -d 'Load image(s) from a tar archive'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "import" -d 'Import a tarball to create a filesystem image'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "inspect" -d 'Display the configuration of an object'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "rmi" -d 'Remove one or more images from local storage'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "save" -d 'Save image(s) to an archive'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "tag" -d 'Add an additional name to a local image'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "untag" -d 'Remove a name from a local image'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "push" -d 'Push an image to a specified destination'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "login" -d 'Log in to a container registry'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "logout" -d 'Log out of a container registry'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "search" -d 'Search a registry for an image'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "manifest" -d 'Manipulate manifest lists and image indexes'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "unshare" -d 'Run a command in a modified user namespace'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "version" -d 'Display the skiff version information'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "volume" -d 'Manage volumes'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand run" -l sig-proxy -d 'Proxy received signals to the process' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand run" -l cap-add -d 'Add capabilities to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l cap-drop -d 'Drop capabilities from the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l cidfile -d 'Write the container ID to the file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand run" -s e -l env -d 'Set environment variables in container' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l env-file -d 'Read in a file of environment variables' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand run" -l entrypoint -d 'Overwrite the default ENTRYPOINT of the image' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -s h -l hostname -d 'Set container hostname' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -s l -l label -d 'Set metadata on container' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l annotation -d 'Add annotations to container (key=value)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l mount -d 'Attach a filesystem mount to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l name -d 'Assign a name to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l network -l net -d 'Connect a container to a network (none, host, private)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l pids-limit -d 'Tune container pids limit (set -1 for unlimited)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand run" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand run" -l cert-dir -d 'Use certificates at the specified path to access the registry' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand run" -l creds -d 'Use `USERNAME[:PASSWORD]` for accessing the registry' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l platform -d 'Specify the platform for selecting the image (os/arch[/variant])' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l arch -d 'Use ARCH instead of the architecture of the machine for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l os -d 'Use OS instead of the running OS for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l variant -d 'Use VARIANT instead of the running architecture variant for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l pull -d 'Pull image policy (missing, never, always, newer)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l security-opt -d 'Security options (seccomp=unconfined|<file>, no-new-privileges)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l stop-signal -d 'Signal to stop a container (default: SIGTERM)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l stop-timeout -d 'Timeout (in seconds) that containers stopped by user command have to exit (default 10)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l tmpfs -d 'Mount a temporary filesystem (tmpfs) into a container' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -s u -l user -d 'Username or UID (format: <name|uid>[:<group|gid>])' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l userns -d 'User namespace to use (host, keep-id)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -s v -l volume -d 'Bind mount a volume into the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -s w -l workdir -d 'Working directory inside the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand run" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand run" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand run" -s d -l detach -d 'Run container in background and print container ID'
complete -c skiff -n "__fish_skiff_using_subcommand run" -l help -d 'Print help (-h is --hostname, as in Podman)'
complete -c skiff -n "__fish_skiff_using_subcommand run" -l env-host -d 'Use all current host environment variables in container'
complete -c skiff -n "__fish_skiff_using_subcommand run" -l init -d 'Run an init inside the container that forwards signals and reaps processes'
complete -c skiff -n "__fish_skiff_using_subcommand run" -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c skiff -n "__fish_skiff_using_subcommand run" -l privileged -d 'Give extended privileges to container'
complete -c skiff -n "__fish_skiff_using_subcommand run" -s q -l quiet -d 'Suppress output information when pulling images'
complete -c skiff -n "__fish_skiff_using_subcommand run" -l read-only -d 'Make containers root filesystem read-only'
complete -c skiff -n "__fish_skiff_using_subcommand run" -l rm -d 'Remove container (and pod if created) after exit'
complete -c skiff -n "__fish_skiff_using_subcommand run" -s t -l tty -d 'Allocate a pseudo-TTY for container'
complete -c skiff -n "__fish_skiff_using_subcommand create" -l cap-add -d 'Add capabilities to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l cap-drop -d 'Drop capabilities from the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l cidfile -d 'Write the container ID to the file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand create" -s e -l env -d 'Set environment variables in container' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l env-file -d 'Read in a file of environment variables' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand create" -l entrypoint -d 'Overwrite the default ENTRYPOINT of the image' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -s h -l hostname -d 'Set container hostname' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -s l -l label -d 'Set metadata on container' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l annotation -d 'Add annotations to container (key=value)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l mount -d 'Attach a filesystem mount to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l name -d 'Assign a name to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l network -l net -d 'Connect a container to a network (none, host, private)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l pids-limit -d 'Tune container pids limit (set -1 for unlimited)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand create" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand create" -l cert-dir -d 'Use certificates at the specified path to access the registry' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand create" -l creds -d 'Use `USERNAME[:PASSWORD]` for accessing the registry' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l platform -d 'Specify the platform for selecting the image (os/arch[/variant])' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l arch -d 'Use ARCH instead of the architecture of the machine for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l os -d 'Use OS instead of the running OS for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l variant -d 'Use VARIANT instead of the running architecture variant for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l pull -d 'Pull image policy (missing, never, always, newer)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l security-opt -d 'Security options (seccomp=unconfined|<file>, no-new-privileges)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l stop-signal -d 'Signal to stop a container (default: SIGTERM)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l stop-timeout -d 'Timeout (in seconds) that containers stopped by user command have to exit (default 10)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l tmpfs -d 'Mount a temporary filesystem (tmpfs) into a container' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -s u -l user -d 'Username or UID (format: <name|uid>[:<group|gid>])' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l userns -d 'User namespace to use (host, keep-id)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -s v -l volume -d 'Bind mount a volume into the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -s w -l workdir -d 'Working directory inside the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand create" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand create" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand create" -l help -d 'Print help (-h is --hostname, as in Podman)'
complete -c skiff -n "__fish_skiff_using_subcommand create" -l env-host -d 'Use all current host environment variables in container'
complete -c skiff -n "__fish_skiff_using_subcommand create" -l init -d 'Run an init inside the container that forwards signals and reaps processes'
complete -c skiff -n "__fish_skiff_using_subcommand create" -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c skiff -n "__fish_skiff_using_subcommand create" -l privileged -d 'Give extended privileges to container'
complete -c skiff -n "__fish_skiff_using_subcommand create" -s q -l quiet -d 'Suppress output information when pulling images'
complete -c skiff -n "__fish_skiff_using_subcommand create" -l read-only -d 'Make containers root filesystem read-only'
complete -c skiff -n "__fish_skiff_using_subcommand create" -l rm -d 'Remove container (and pod if created) after exit'
complete -c skiff -n "__fish_skiff_using_subcommand create" -s t -l tty -d 'Allocate a pseudo-TTY for container'
complete -c skiff -n "__fish_skiff_using_subcommand start" -l sig-proxy -d 'Proxy received signals to the process' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand start" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand start" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand start" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand start" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand start" -s a -l attach -d 'Attach container\'s STDOUT and STDERR'
complete -c skiff -n "__fish_skiff_using_subcommand start" -s i -l interactive -d 'Make STDIN available to the contained process'
complete -c skiff -n "__fish_skiff_using_subcommand start" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand ps" -s n -l last -d 'Print the n last created containers (all states)' -r
complete -c skiff -n "__fish_skiff_using_subcommand ps" -s f -l filter -d 'Filter output based on conditions given' -r
complete -c skiff -n "__fish_skiff_using_subcommand ps" -l format -d 'Pretty-print containers to JSON or using a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand ps" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand ps" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand ps" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand ps" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand ps" -s a -l all -d 'Show all the containers, default is only running containers'
complete -c skiff -n "__fish_skiff_using_subcommand ps" -s q -l quiet -d 'Print only the container IDs'
complete -c skiff -n "__fish_skiff_using_subcommand ps" -s l -l latest -d 'Act on the latest container podman is aware of'
complete -c skiff -n "__fish_skiff_using_subcommand ps" -l no-trunc -d 'Display the extended information'
complete -c skiff -n "__fish_skiff_using_subcommand ps" -l noheading -d 'Do not print headers'
complete -c skiff -n "__fish_skiff_using_subcommand ps" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand list" -s n -l last -d 'Print the n last created containers (all states)' -r
complete -c skiff -n "__fish_skiff_using_subcommand list" -s f -l filter -d 'Filter output based on conditions given' -r
complete -c skiff -n "__fish_skiff_using_subcommand list" -l format -d 'Pretty-print containers to JSON or using a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand list" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand list" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand list" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand list" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand list" -s a -l all -d 'Show all the containers, default is only running containers'
complete -c skiff -n "__fish_skiff_using_subcommand list" -s q -l quiet -d 'Print only the container IDs'
complete -c skiff -n "__fish_skiff_using_subcommand list" -s l -l latest -d 'Act on the latest container podman is aware of'
complete -c skiff -n "__fish_skiff_using_subcommand list" -l no-trunc -d 'Display the extended information'
complete -c skiff -n "__fish_skiff_using_subcommand list" -l noheading -d 'Do not print headers'
complete -c skiff -n "__fish_skiff_using_subcommand list" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand stop" -s t -l time -l timeout -d 'Seconds to wait for stop before killing the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand stop" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand stop" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand stop" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand stop" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand stop" -s a -l all -d 'Stop all running containers'
complete -c skiff -n "__fish_skiff_using_subcommand stop" -s i -l ignore -d 'Ignore errors when a specified container is missing'
complete -c skiff -n "__fish_skiff_using_subcommand stop" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand kill" -s s -l signal -d 'Signal to send to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand kill" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand kill" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand kill" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand kill" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand kill" -s a -l all -d 'Signal all running containers'
complete -c skiff -n "__fish_skiff_using_subcommand kill" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand rm" -s t -l time -d 'Seconds to wait for stop before killing the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand rm" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand rm" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand rm" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand rm" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand rm" -s a -l all -d 'Remove all containers'
complete -c skiff -n "__fish_skiff_using_subcommand rm" -s f -l force -d 'Force removal of a running or unusable container'
complete -c skiff -n "__fish_skiff_using_subcommand rm" -s i -l ignore -d 'Ignore errors when a specified container is missing'
complete -c skiff -n "__fish_skiff_using_subcommand rm" -s v -l volumes -d 'Remove anonymous volumes associated with the container'
complete -c skiff -n "__fish_skiff_using_subcommand rm" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand restart" -s t -l time -l timeout -d 'Seconds to wait for stop before killing the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand restart" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand restart" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand restart" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand restart" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand restart" -s a -l all -d 'Stop all running containers'
complete -c skiff -n "__fish_skiff_using_subcommand restart" -s i -l ignore -d 'Ignore errors when a specified container is missing'
complete -c skiff -n "__fish_skiff_using_subcommand restart" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand wait" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand wait" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand wait" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand wait" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand wait" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand logs" -l since -d 'Show logs since TIMESTAMP' -r
complete -c skiff -n "__fish_skiff_using_subcommand logs" -l until -d 'Show logs until TIMESTAMP' -r
complete -c skiff -n "__fish_skiff_using_subcommand logs" -l tail -d 'Output the specified number of LINES at the end of the logs' -r
complete -c skiff -n "__fish_skiff_using_subcommand logs" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand logs" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand logs" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand logs" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand logs" -s f -l follow -d 'Follow log output'
complete -c skiff -n "__fish_skiff_using_subcommand logs" -s t -l timestamps -d 'Output the timestamps in the log'
complete -c skiff -n "__fish_skiff_using_subcommand logs" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s e -l env -d 'Set environment variables' -r
complete -c skiff -n "__fish_skiff_using_subcommand exec" -l env-file -d 'Read in a file of environment variables' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s u -l user -d 'Sets the username or UID used and optionally the groupname or GID for the specified command' -r
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s w -l workdir -d 'Working directory inside the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand exec" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand exec" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand exec" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand exec" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s d -l detach -d 'Run the exec session in detached mode (backgrounded)'
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c skiff -n "__fish_skiff_using_subcommand exec" -l privileged -d 'Give extended privileges to this container'
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "ls" -d 'List containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "list" -d 'List containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "rm" -d 'Remove one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "prune" -d 'Remove all non running containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "inspect" -d 'Display the configuration of a container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "exists" -d 'Check if a container exists in local storage'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "run" -d 'Run a command in a new container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "create" -d 'Create but do not start a container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "start" -d 'Start one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "stop" -d 'Stop one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "kill" -d 'Kill one or more running containers with a specific signal'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "restart" -d 'Restart one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "wait" -d 'Block on one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "logs" -d 'Fetch the logs of one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "exec" -d 'Run a process in a running container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "rename" -d 'Rename an existing container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "port" -d 'List port mappings or a specific mapping for the container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "top" -d 'Display the running processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "diff" -d 'Inspect changes to the container\'s file systems'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "export" -d 'Export a container\'s filesystem contents as a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "commit" -d 'Create new image based on the changed container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "cp" -d 'Copy files/folders between a container and the local filesystem'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "attach" -d 'Attach to a running container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from ls list rm prune inspect exists run create start stop kill restart wait logs exec rename port top diff export commit cp attach help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -s n -l last -d 'Print the n last created containers (all states)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter output based on conditions given' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -l format -d 'Pretty-print containers to JSON or using a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -s a -l all -d 'Show all the containers, default is only running containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only the container IDs'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -s l -l latest -d 'Act on the latest container podman is aware of'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -l no-trunc -d 'Display the extended information'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -l noheading -d 'Do not print headers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -s n -l last -d 'Print the n last created containers (all states)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -s f -l filter -d 'Filter output based on conditions given' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -l format -d 'Pretty-print containers to JSON or using a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -s a -l all -d 'Show all the containers, default is only running containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only the container IDs'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -s l -l latest -d 'Act on the latest container podman is aware of'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -l no-trunc -d 'Display the extended information'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -l noheading -d 'Do not print headers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -s t -l time -d 'Seconds to wait for stop before killing the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -s a -l all -d 'Remove all containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -s f -l force -d 'Force removal of a running or unusable container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -s i -l ignore -d 'Ignore errors when a specified container is missing'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -s v -l volumes -d 'Remove anonymous volumes associated with the container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from prune" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from prune" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from prune" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from prune" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format the output using the given Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from inspect" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from inspect" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from inspect" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from inspect" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exists" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exists" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exists" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exists" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exists" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l sig-proxy -d 'Proxy received signals to the process' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l cap-add -d 'Add capabilities to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l cap-drop -d 'Drop capabilities from the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l cidfile -d 'Write the container ID to the file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s e -l env -d 'Set environment variables in container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l env-file -d 'Read in a file of environment variables' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l entrypoint -d 'Overwrite the default ENTRYPOINT of the image' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s h -l hostname -d 'Set container hostname' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s l -l label -d 'Set metadata on container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l annotation -d 'Add annotations to container (key=value)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l mount -d 'Attach a filesystem mount to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l name -d 'Assign a name to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l network -l net -d 'Connect a container to a network (none, host, private)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l pids-limit -d 'Tune container pids limit (set -1 for unlimited)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l cert-dir -d 'Use certificates at the specified path to access the registry' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l creds -d 'Use `USERNAME[:PASSWORD]` for accessing the registry' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l platform -d 'Specify the platform for selecting the image (os/arch[/variant])' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l arch -d 'Use ARCH instead of the architecture of the machine for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l os -d 'Use OS instead of the running OS for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l variant -d 'Use VARIANT instead of the running architecture variant for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l pull -d 'Pull image policy (missing, never, always, newer)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l security-opt -d 'Security options (seccomp=unconfined|<file>, no-new-privileges)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l stop-signal -d 'Signal to stop a container (default: SIGTERM)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l stop-timeout -d 'Timeout (in seconds) that containers stopped by user command have to exit (default 10)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l tmpfs -d 'Mount a temporary filesystem (tmpfs) into a container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s u -l user -d 'Username or UID (format: <name|uid>[:<group|gid>])' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l userns -d 'User namespace to use (host, keep-id)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s v -l volume -d 'Bind mount a volume into the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s w -l workdir -d 'Working directory inside the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s d -l detach -d 'Run container in background and print container ID'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l help -d 'Print help (-h is --hostname, as in Podman)'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l env-host -d 'Use all current host environment variables in container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l init -d 'Run an init inside the container that forwards signals and reaps processes'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l privileged -d 'Give extended privileges to container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Suppress output information when pulling images'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l read-only -d 'Make containers root filesystem read-only'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l rm -d 'Remove container (and pod if created) after exit'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s t -l tty -d 'Allocate a pseudo-TTY for container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l cap-add -d 'Add capabilities to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l cap-drop -d 'Drop capabilities from the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l cidfile -d 'Write the container ID to the file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s e -l env -d 'Set environment variables in container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l env-file -d 'Read in a file of environment variables' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l entrypoint -d 'Overwrite the default ENTRYPOINT of the image' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s h -l hostname -d 'Set container hostname' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s l -l label -d 'Set metadata on container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l annotation -d 'Add annotations to container (key=value)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l mount -d 'Attach a filesystem mount to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l name -d 'Assign a name to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l network -l net -d 'Connect a container to a network (none, host, private)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l pids-limit -d 'Tune container pids limit (set -1 for unlimited)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l cert-dir -d 'Use certificates at the specified path to access the registry' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l creds -d 'Use `USERNAME[:PASSWORD]` for accessing the registry' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l platform -d 'Specify the platform for selecting the image (os/arch[/variant])' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l arch -d 'Use ARCH instead of the architecture of the machine for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l os -d 'Use OS instead of the running OS for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l variant -d 'Use VARIANT instead of the running architecture variant for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l pull -d 'Pull image policy (missing, never, always, newer)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l security-opt -d 'Security options (seccomp=unconfined|<file>, no-new-privileges)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l stop-signal -d 'Signal to stop a container (default: SIGTERM)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l stop-timeout -d 'Timeout (in seconds) that containers stopped by user command have to exit (default 10)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l tmpfs -d 'Mount a temporary filesystem (tmpfs) into a container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s u -l user -d 'Username or UID (format: <name|uid>[:<group|gid>])' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l userns -d 'User namespace to use (host, keep-id)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s v -l volume -d 'Bind mount a volume into the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s w -l workdir -d 'Working directory inside the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l help -d 'Print help (-h is --hostname, as in Podman)'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l env-host -d 'Use all current host environment variables in container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l init -d 'Run an init inside the container that forwards signals and reaps processes'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l privileged -d 'Give extended privileges to container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Suppress output information when pulling images'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l read-only -d 'Make containers root filesystem read-only'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l rm -d 'Remove container (and pod if created) after exit'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s t -l tty -d 'Allocate a pseudo-TTY for container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -l sig-proxy -d 'Proxy received signals to the process' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -s a -l attach -d 'Attach container\'s STDOUT and STDERR'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -s i -l interactive -d 'Make STDIN available to the contained process'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -s t -l time -l timeout -d 'Seconds to wait for stop before killing the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -s a -l all -d 'Stop all running containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -s i -l ignore -d 'Ignore errors when a specified container is missing'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from kill" -s s -l signal -d 'Signal to send to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from kill" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from kill" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from kill" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from kill" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from kill" -s a -l all -d 'Signal all running containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from kill" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -s t -l time -l timeout -d 'Seconds to wait for stop before killing the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -s a -l all -d 'Stop all running containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -s i -l ignore -d 'Ignore errors when a specified container is missing'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from wait" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from wait" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from wait" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from wait" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from wait" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -l since -d 'Show logs since TIMESTAMP' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -l until -d 'Show logs until TIMESTAMP' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -l tail -d 'Output the specified number of LINES at the end of the logs' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -s f -l follow -d 'Follow log output'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -s t -l timestamps -d 'Output the timestamps in the log'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s e -l env -d 'Set environment variables' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -l env-file -d 'Read in a file of environment variables' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s u -l user -d 'Sets the username or UID used and optionally the groupname or GID for the specified command' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s w -l workdir -d 'Working directory inside the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s d -l detach -d 'Run the exec session in detached mode (backgrounded)'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -l privileged -d 'Give extended privileges to this container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rename" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rename" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rename" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rename" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from port" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from port" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from port" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from port" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from port" -s a -l all -d 'Display port information for all containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from port" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from top" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from top" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from top" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from top" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from top" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from diff" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from diff" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from diff" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from diff" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from export" -s o -l output -d 'Write to a specified file (default: stdout, which must be redirected)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from export" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from export" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from export" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from export" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from commit" -s a -l author -d 'Set the author for the image committed' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from commit" -s c -l change -d 'Apply the following possible instructions to the created image' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from commit" -s m -l message -d 'Set commit message for imported image' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from commit" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from commit" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from commit" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from commit" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from commit" -s p -l pause -d 'Pause container during commit (accepted; skiff commits without pausing)'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from commit" -s q -l quiet -d 'Suppress output'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from commit" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from cp" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from cp" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from cp" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from cp" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from cp" -s a -l archive -d 'Copy archive mode (accepted for compatibility)'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from cp" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from attach" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from attach" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from attach" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from attach" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from attach" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove all non running containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Display the configuration of a container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "exists" -d 'Check if a container exists in local storage'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "run" -d 'Run a command in a new container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create but do not start a container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "stop" -d 'Stop one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "kill" -d 'Kill one or more running containers with a specific signal'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "restart" -d 'Restart one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "wait" -d 'Block on one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "logs" -d 'Fetch the logs of one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "exec" -d 'Run a process in a running container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "rename" -d 'Rename an existing container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "port" -d 'List port mappings or a specific mapping for the container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "top" -d 'Display the running processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "diff" -d 'Inspect changes to the container\'s file systems'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "export" -d 'Export a container\'s filesystem contents as a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "commit" -d 'Create new image based on the changed container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "cp" -d 'Copy files/folders between a container and the local filesystem'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "attach" -d 'Attach to a running container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand rename" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand rename" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand rename" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand rename" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand rename" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand port" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand port" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand port" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand port" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand port" -s a -l all -d 'Display port information for all containers'
complete -c skiff -n "__fish_skiff_using_subcommand port" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand top" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand top" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand top" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand top" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand top" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand diff" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand diff" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand diff" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand diff" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand diff" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand export" -s o -l output -d 'Write to a specified file (default: stdout, which must be redirected)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand export" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand export" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand export" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand export" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand export" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand commit" -s a -l author -d 'Set the author for the image committed' -r
complete -c skiff -n "__fish_skiff_using_subcommand commit" -s c -l change -d 'Apply the following possible instructions to the created image' -r
complete -c skiff -n "__fish_skiff_using_subcommand commit" -s m -l message -d 'Set commit message for imported image' -r
complete -c skiff -n "__fish_skiff_using_subcommand commit" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand commit" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand commit" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand commit" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand commit" -s p -l pause -d 'Pause container during commit (accepted; skiff commits without pausing)'
complete -c skiff -n "__fish_skiff_using_subcommand commit" -s q -l quiet -d 'Suppress output'
complete -c skiff -n "__fish_skiff_using_subcommand commit" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand cp" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand cp" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand cp" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand cp" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand cp" -s a -l archive -d 'Copy archive mode (accepted for compatibility)'
complete -c skiff -n "__fish_skiff_using_subcommand cp" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand attach" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand attach" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand attach" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand attach" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand attach" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from build ls list rm inspect history prune save load import tag untag exists pull push search help" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from build ls list rm inspect history prune save load import tag untag exists pull push search help" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from build ls list rm inspect history prune save load import tag untag exists pull push search help" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from build ls list rm inspect history prune save load import tag untag exists pull push search help" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from build ls list rm inspect history prune save load import tag untag exists pull push search help" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from build ls list rm inspect history prune save load import tag untag exists pull push search help" -f -a "build" -d 'Build an image using instructions from Containerfiles'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from build ls list rm inspect history prune save load import tag untag exists pull push search help" -f -a "ls" -d 'List images in local storage'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from build ls list rm inspect history prune save load import tag untag exists pull push search help" -f -a "list" -d 'List images in local storage'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from build ls list rm inspect history prune save load import tag untag exists pull push search help" -f -a "rm" -d 'Remove one or more images from local storage'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from build ls list rm inspect history prune save load import tag untag exists pull push search help" -f -a "inspect" -d 'Display the configuration of an image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from build ls list rm inspect history prune save load import tag untag exists pull push search help" -f -a "history" -d 'Show history of a specified image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from build ls list rm inspect history prune save load import tag untag exists pull push search help" -f -a "prune" -d 'Remove unused images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from build ls list rm inspect history prune save load import tag untag exists pull push search help" -f -a "save" -d 'Save image(s) to an archive'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from build ls list rm inspect history prune save load import tag untag exists pull push search help" -f -a "load" -d 'Load image(s) from a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from build ls list rm inspect history prune save load import tag untag exists pull push search help" -f -a "import" -d 'Import a tarball to create a filesystem image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from build ls list rm inspect history prune save load import tag untag exists pull push search help" -f -a "tag" -d 'Add an additional name to a local image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from build ls list rm inspect history prune save load import tag untag exists pull push search help" -f -a "untag" -d 'Remove a name from a local image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from build ls list rm inspect history prune save load import tag untag exists pull push search help" -f -a "exists" -d 'Check if an image exists in local storage'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from build ls list rm inspect history prune save load import tag untag exists pull push search help" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from build ls list rm inspect history prune save load import tag untag exists pull push search help" -f -a "push" -d 'Push an image to a specified destination'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from build ls list rm inspect history prune save load import tag untag exists pull push search help" -f -a "search" -d 'Search a registry for an image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from build ls list rm inspect history prune save load import tag untag exists pull push search help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -s t -l tag -d 'Name and optionally a tag (name:tag) for the image built (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -s f -l file -d 'Name of the Containerfile (default: CONTEXT/Containerfile, else CONTEXT/Dockerfile; `-` reads it from stdin)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l build-arg -d 'Argument=value for the build (a bare name takes its value from the environment)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l build-arg-file -d 'File of argument=value lines for the build' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l target -d 'Set the target build stage to build' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l pull -d 'Pull base images: always (a bare --pull), missing, never or newer' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l layers -d 'Cache intermediate images (one per instruction)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l label -d 'Set metadata for the image built (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l annotation -d 'Set an annotation on the image\'s manifest (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l env -d 'Set an environment variable in the image built (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l unsetenv -d 'Unset an environment variable in the image built (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l iidfile -d 'Write the image ID to the file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l format -d 'Format of the image manifest and metadata: oci or docker' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l secret -d 'Secret for RUN --mount=type=secret: id=ID,src=PATH or id=ID,env=VAR (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l network -d 'Network for RUN instructions: host (default) or none' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l progress -d 'Progress output: auto, plain or tty (all print the same lines)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l timestamp -d 'Set the created time and the time of every new file to this many seconds since the epoch, so rebuilds of the same sources give the same image id' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l ignorefile -d 'Path to an alternate .containerignore/.dockerignore file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l rm -d 'Remove intermediate containers after a build (always done; accepted for Docker)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l cache-from -d 'External cache sources (not used: the cache is the local store; accepted for Docker)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l cache-to -d 'External cache destinations (not used; accepted for Docker)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l cert-dir -d 'Use certificates at the specified path to access the registry' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l creds -d 'Use `USERNAME[:PASSWORD]` for accessing the registry' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l platform -d 'Specify the platform for selecting the image (os/arch[/variant])' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l arch -d 'Use ARCH instead of the architecture of the machine for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l os -d 'Use OS instead of the running OS for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l variant -d 'Use VARIANT instead of the running architecture variant for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l no-cache -d 'Do not use existing cached images for the container build'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l pull-always -d 'Pull base images always (Podman\'s older spelling)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l pull-never -d 'Do not pull base images (Podman\'s older spelling)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l squash -d 'Squash all new layers of the image into one'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l squash-all -d 'Squash all layers of the image, its base\'s included, into one'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -s q -l quiet -d 'Refrain from announcing build instructions and image read/write progress'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l no-hosts -d 'Do not create /etc/hosts for RUN instructions (the image\'s own is used)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l force-rm -d 'Always remove intermediate containers (always done; accepted for Docker)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -l load -d '`buildx build --load`: the image is in the store anyway (accepted for Docker)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from build" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter output based on conditions provided (reference=, dangling=, label=, id=, before=, since=)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l format -d 'Change the output format to JSON or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l sort -d 'Sort by created, id, repository, size or tag' -r -f -a "created\t''
id\t''
repository\t''
size\t''
tag\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -s a -l all -d 'Show all images (default hides intermediate images)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Display only image IDs'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l digests -d 'Show digests'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l no-trunc -d 'Do not truncate output'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -s n -l noheading -d 'Do not print column headings'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -s f -l filter -d 'Filter output based on conditions provided (reference=, dangling=, label=, id=, before=, since=)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l format -d 'Change the output format to JSON or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l sort -d 'Sort by created, id, repository, size or tag' -r -f -a "created\t''
id\t''
repository\t''
size\t''
tag\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -s a -l all -d 'Show all images (default hides intermediate images)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Display only image IDs'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l digests -d 'Show digests'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l no-trunc -d 'Do not truncate output'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -s n -l noheading -d 'Do not print column headings'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -s a -l all -d 'Remove all images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -s f -l force -d 'Force removal of the image and any containers using it'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -s i -l ignore -d 'Ignore errors if a specified image does not exist'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format the output using the given Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -s H -l human -d 'Display sizes and dates in human readable format' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -l format -d 'Change the output to JSON or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -l no-trunc -d 'Do not truncate the output'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -s q -l quiet -d 'Display the numeric IDs only'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -l filter -d 'Provide filter values (e.g. \'label=<key>=<value>\')' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove all images not in use by containers, not just dangling ones'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -s o -l output -d 'Write to a specified file (default: stdout, which must be redirected)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -l format -d 'Save image to oci-archive or docker-archive' -r -f -a "oci-archive\t''
docker-archive\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -s m -l multi-image-archive -d 'Interpret additional arguments as images not tags and create a multi-image-archive (only for docker-archive)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -s q -l quiet -d 'Suppress the output'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -s i -l input -d 'Read from specified archive file (default: stdin)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -s q -l quiet -d 'Suppress the output'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -s c -l change -d 'Apply the following possible instructions to the created image: CMD | ENTRYPOINT | ENV | EXPOSE | LABEL | ONBUILD | STOPSIGNAL | USER | VOLUME | WORKDIR' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -s m -l message -d 'Set commit message for imported image' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -l arch -d 'Set the architecture of the imported image' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -l os -d 'Set the OS of the imported image' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -l variant -d 'Set the variant of the imported image' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Suppress output'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from tag" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from tag" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from tag" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from tag" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from tag" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from untag" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from untag" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from untag" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from untag" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from untag" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from exists" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from exists" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from exists" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from exists" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from exists" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l cert-dir -d 'Use certificates at the specified path to access the registry' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l creds -d 'Use `USERNAME[:PASSWORD]` for accessing the registry' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l platform -d 'Specify the platform for selecting the image (os/arch[/variant])' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l arch -d 'Use ARCH instead of the architecture of the machine for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l os -d 'Use OS instead of the running OS for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l variant -d 'Use VARIANT instead of the running architecture variant for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -s a -l all-tags -d 'Pull all tagged images in the repository'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -s q -l quiet -d 'Suppress output information when pulling images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l disable-content-trust -d 'This is a Docker specific option and is a NOOP'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -s f -l format -d 'Manifest type (oci, v2s2) to use when pushing' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l compression-format -d 'Compression format to use for layers (gzip, zstd)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l digestfile -d 'Write the digest of the pushed image to the specified file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l cert-dir -d 'Use certificates at the specified path to access the registry' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l creds -d 'Use `USERNAME[:PASSWORD]` for accessing the registry' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -s q -l quiet -d 'Suppress output information when pushing images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l remove-signatures -d 'Discard any pre-existing signatures in the image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l disable-content-trust -d 'This is a Docker specific option and is a NOOP'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from search" -l limit -d 'Limit the number of results' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from search" -l format -d 'Change the output format to JSON or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from search" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from search" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from search" -l cert-dir -d 'Use certificates at the specified path to access the registry' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from search" -l creds -d 'Use `USERNAME[:PASSWORD]` for accessing the registry' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from search" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from search" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from search" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from search" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from search" -l no-trunc -d 'Do not truncate the output'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from search" -l list-tags -d 'List the tags of the input registry'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from search" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "build" -d 'Build an image using instructions from Containerfiles'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List images in local storage'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove one or more images from local storage'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Display the configuration of an image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "history" -d 'Show history of a specified image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove unused images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "save" -d 'Save image(s) to an archive'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "load" -d 'Load image(s) from a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "import" -d 'Import a tarball to create a filesystem image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "tag" -d 'Add an additional name to a local image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "untag" -d 'Remove a name from a local image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "exists" -d 'Check if an image exists in local storage'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "push" -d 'Push an image to a specified destination'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "search" -d 'Search a registry for an image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand images" -s f -l filter -d 'Filter output based on conditions provided (reference=, dangling=, label=, id=, before=, since=)' -r
complete -c skiff -n "__fish_skiff_using_subcommand images" -l format -d 'Change the output format to JSON or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand images" -l sort -d 'Sort by created, id, repository, size or tag' -r -f -a "created\t''
id\t''
repository\t''
size\t''
tag\t''"
complete -c skiff -n "__fish_skiff_using_subcommand images" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand images" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand images" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand images" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand images" -s a -l all -d 'Show all images (default hides intermediate images)'
complete -c skiff -n "__fish_skiff_using_subcommand images" -s q -l quiet -d 'Display only image IDs'
complete -c skiff -n "__fish_skiff_using_subcommand images" -l digests -d 'Show digests'
complete -c skiff -n "__fish_skiff_using_subcommand images" -l no-trunc -d 'Do not truncate output'
complete -c skiff -n "__fish_skiff_using_subcommand images" -s n -l noheading -d 'Do not print column headings'
complete -c skiff -n "__fish_skiff_using_subcommand images" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand build" -s t -l tag -d 'Name and optionally a tag (name:tag) for the image built (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -s f -l file -d 'Name of the Containerfile (default: CONTEXT/Containerfile, else CONTEXT/Dockerfile; `-` reads it from stdin)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand build" -l build-arg -d 'Argument=value for the build (a bare name takes its value from the environment)' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l build-arg-file -d 'File of argument=value lines for the build' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand build" -l target -d 'Set the target build stage to build' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l pull -d 'Pull base images: always (a bare --pull), missing, never or newer' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l layers -d 'Cache intermediate images (one per instruction)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand build" -l label -d 'Set metadata for the image built (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l annotation -d 'Set an annotation on the image\'s manifest (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l env -d 'Set an environment variable in the image built (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l unsetenv -d 'Unset an environment variable in the image built (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l iidfile -d 'Write the image ID to the file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand build" -l format -d 'Format of the image manifest and metadata: oci or docker' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l secret -d 'Secret for RUN --mount=type=secret: id=ID,src=PATH or id=ID,env=VAR (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l network -d 'Network for RUN instructions: host (default) or none' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l progress -d 'Progress output: auto, plain or tty (all print the same lines)' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l timestamp -d 'Set the created time and the time of every new file to this many seconds since the epoch, so rebuilds of the same sources give the same image id' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l ignorefile -d 'Path to an alternate .containerignore/.dockerignore file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand build" -l rm -d 'Remove intermediate containers after a build (always done; accepted for Docker)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand build" -l cache-from -d 'External cache sources (not used: the cache is the local store; accepted for Docker)' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l cache-to -d 'External cache destinations (not used; accepted for Docker)' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand build" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand build" -l cert-dir -d 'Use certificates at the specified path to access the registry' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand build" -l creds -d 'Use `USERNAME[:PASSWORD]` for accessing the registry' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l platform -d 'Specify the platform for selecting the image (os/arch[/variant])' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l arch -d 'Use ARCH instead of the architecture of the machine for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l os -d 'Use OS instead of the running OS for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l variant -d 'Use VARIANT instead of the running architecture variant for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand build" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand build" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand build" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand build" -l no-cache -d 'Do not use existing cached images for the container build'
complete -c skiff -n "__fish_skiff_using_subcommand build" -l pull-always -d 'Pull base images always (Podman\'s older spelling)'
complete -c skiff -n "__fish_skiff_using_subcommand build" -l pull-never -d 'Do not pull base images (Podman\'s older spelling)'
complete -c skiff -n "__fish_skiff_using_subcommand build" -l squash -d 'Squash all new layers of the image into one'
complete -c skiff -n "__fish_skiff_using_subcommand build" -l squash-all -d 'Squash all layers of the image, its base\'s included, into one'
complete -c skiff -n "__fish_skiff_using_subcommand build" -s q -l quiet -d 'Refrain from announcing build instructions and image read/write progress'
complete -c skiff -n "__fish_skiff_using_subcommand build" -l no-hosts -d 'Do not create /etc/hosts for RUN instructions (the image\'s own is used)'
complete -c skiff -n "__fish_skiff_using_subcommand build" -l force-rm -d 'Always remove intermediate containers (always done; accepted for Docker)'
complete -c skiff -n "__fish_skiff_using_subcommand build" -l load -d '`buildx build --load`: the image is in the store anyway (accepted for Docker)'
complete -c skiff -n "__fish_skiff_using_subcommand build" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand builder; and not __fish_seen_subcommand_from build prune help" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand builder; and not __fish_seen_subcommand_from build prune help" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand builder; and not __fish_seen_subcommand_from build prune help" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and not __fish_seen_subcommand_from build prune help" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand builder; and not __fish_seen_subcommand_from build prune help" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand builder; and not __fish_seen_subcommand_from build prune help" -f -a "build" -d 'Build an image using instructions from Containerfiles'
complete -c skiff -n "__fish_skiff_using_subcommand builder; and not __fish_seen_subcommand_from build prune help" -f -a "prune" -d 'Remove the build cache'
complete -c skiff -n "__fish_skiff_using_subcommand builder; and not __fish_seen_subcommand_from build prune help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -s t -l tag -d 'Name and optionally a tag (name:tag) for the image built (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -s f -l file -d 'Name of the Containerfile (default: CONTEXT/Containerfile, else CONTEXT/Dockerfile; `-` reads it from stdin)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l build-arg -d 'Argument=value for the build (a bare name takes its value from the environment)' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l build-arg-file -d 'File of argument=value lines for the build' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l target -d 'Set the target build stage to build' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l pull -d 'Pull base images: always (a bare --pull), missing, never or newer' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l layers -d 'Cache intermediate images (one per instruction)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l label -d 'Set metadata for the image built (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l annotation -d 'Set an annotation on the image\'s manifest (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l env -d 'Set an environment variable in the image built (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l unsetenv -d 'Unset an environment variable in the image built (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l iidfile -d 'Write the image ID to the file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l format -d 'Format of the image manifest and metadata: oci or docker' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l secret -d 'Secret for RUN --mount=type=secret: id=ID,src=PATH or id=ID,env=VAR (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l network -d 'Network for RUN instructions: host (default) or none' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l progress -d 'Progress output: auto, plain or tty (all print the same lines)' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l timestamp -d 'Set the created time and the time of every new file to this many seconds since the epoch, so rebuilds of the same sources give the same image id' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l ignorefile -d 'Path to an alternate .containerignore/.dockerignore file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l rm -d 'Remove intermediate containers after a build (always done; accepted for Docker)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l cache-from -d 'External cache sources (not used: the cache is the local store; accepted for Docker)' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l cache-to -d 'External cache destinations (not used; accepted for Docker)' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l cert-dir -d 'Use certificates at the specified path to access the registry' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l creds -d 'Use `USERNAME[:PASSWORD]` for accessing the registry' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l platform -d 'Specify the platform for selecting the image (os/arch[/variant])' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l arch -d 'Use ARCH instead of the architecture of the machine for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l os -d 'Use OS instead of the running OS for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l variant -d 'Use VARIANT instead of the running architecture variant for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l no-cache -d 'Do not use existing cached images for the container build'
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l pull-always -d 'Pull base images always (Podman\'s older spelling)'
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l pull-never -d 'Do not pull base images (Podman\'s older spelling)'
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l squash -d 'Squash all new layers of the image into one'
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l squash-all -d 'Squash all layers of the image, its base\'s included, into one'
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -s q -l quiet -d 'Refrain from announcing build instructions and image read/write progress'
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l no-hosts -d 'Do not create /etc/hosts for RUN instructions (the image\'s own is used)'
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l force-rm -d 'Always remove intermediate containers (always done; accepted for Docker)'
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -l load -d '`buildx build --load`: the image is in the store anyway (accepted for Docker)'
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from build" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from prune" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from prune" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from prune" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from prune" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove all build cache (the same as without; accepted for Docker)'
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from help" -f -a "build" -d 'Build an image using instructions from Containerfiles'
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove the build cache'
complete -c skiff -n "__fish_skiff_using_subcommand builder; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and not __fish_seen_subcommand_from build prune help" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and not __fish_seen_subcommand_from build prune help" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and not __fish_seen_subcommand_from build prune help" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and not __fish_seen_subcommand_from build prune help" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and not __fish_seen_subcommand_from build prune help" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and not __fish_seen_subcommand_from build prune help" -f -a "build" -d 'Build an image using instructions from Containerfiles'
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and not __fish_seen_subcommand_from build prune help" -f -a "prune" -d 'Remove the build cache'
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and not __fish_seen_subcommand_from build prune help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -s t -l tag -d 'Name and optionally a tag (name:tag) for the image built (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -s f -l file -d 'Name of the Containerfile (default: CONTEXT/Containerfile, else CONTEXT/Dockerfile; `-` reads it from stdin)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l build-arg -d 'Argument=value for the build (a bare name takes its value from the environment)' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l build-arg-file -d 'File of argument=value lines for the build' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l target -d 'Set the target build stage to build' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l pull -d 'Pull base images: always (a bare --pull), missing, never or newer' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l layers -d 'Cache intermediate images (one per instruction)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l label -d 'Set metadata for the image built (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l annotation -d 'Set an annotation on the image\'s manifest (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l env -d 'Set an environment variable in the image built (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l unsetenv -d 'Unset an environment variable in the image built (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l iidfile -d 'Write the image ID to the file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l format -d 'Format of the image manifest and metadata: oci or docker' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l secret -d 'Secret for RUN --mount=type=secret: id=ID,src=PATH or id=ID,env=VAR (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l network -d 'Network for RUN instructions: host (default) or none' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l progress -d 'Progress output: auto, plain or tty (all print the same lines)' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l timestamp -d 'Set the created time and the time of every new file to this many seconds since the epoch, so rebuilds of the same sources give the same image id' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l ignorefile -d 'Path to an alternate .containerignore/.dockerignore file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l rm -d 'Remove intermediate containers after a build (always done; accepted for Docker)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l cache-from -d 'External cache sources (not used: the cache is the local store; accepted for Docker)' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l cache-to -d 'External cache destinations (not used; accepted for Docker)' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l cert-dir -d 'Use certificates at the specified path to access the registry' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l creds -d 'Use `USERNAME[:PASSWORD]` for accessing the registry' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l platform -d 'Specify the platform for selecting the image (os/arch[/variant])' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l arch -d 'Use ARCH instead of the architecture of the machine for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l os -d 'Use OS instead of the running OS for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l variant -d 'Use VARIANT instead of the running architecture variant for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l no-cache -d 'Do not use existing cached images for the container build'
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l pull-always -d 'Pull base images always (Podman\'s older spelling)'
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l pull-never -d 'Do not pull base images (Podman\'s older spelling)'
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l squash -d 'Squash all new layers of the image into one'
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l squash-all -d 'Squash all layers of the image, its base\'s included, into one'
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -s q -l quiet -d 'Refrain from announcing build instructions and image read/write progress'
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l no-hosts -d 'Do not create /etc/hosts for RUN instructions (the image\'s own is used)'
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l force-rm -d 'Always remove intermediate containers (always done; accepted for Docker)'
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -l load -d '`buildx build --load`: the image is in the store anyway (accepted for Docker)'
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from build" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from prune" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from prune" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from prune" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from prune" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove all build cache (the same as without; accepted for Docker)'
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from help" -f -a "build" -d 'Build an image using instructions from Containerfiles'
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove the build cache'
complete -c skiff -n "__fish_skiff_using_subcommand buildx; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand history" -s H -l human -d 'Display sizes and dates in human readable format' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand history" -l format -d 'Change the output to JSON or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand history" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand history" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand history" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand history" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand history" -l no-trunc -d 'Do not truncate the output'
complete -c skiff -n "__fish_skiff_using_subcommand history" -s q -l quiet -d 'Display the numeric IDs only'
complete -c skiff -n "__fish_skiff_using_subcommand history" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand load" -s i -l input -d 'Read from specified archive file (default: stdin)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand load" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand load" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand load" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand load" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand load" -s q -l quiet -d 'Suppress the output'
complete -c skiff -n "__fish_skiff_using_subcommand load" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand import" -s c -l change -d 'Apply the following possible instructions to the created image: CMD | ENTRYPOINT | ENV | EXPOSE | LABEL | ONBUILD | STOPSIGNAL | USER | VOLUME | WORKDIR' -r
complete -c skiff -n "__fish_skiff_using_subcommand import" -s m -l message -d 'Set commit message for imported image' -r
complete -c skiff -n "__fish_skiff_using_subcommand import" -l arch -d 'Set the architecture of the imported image' -r
complete -c skiff -n "__fish_skiff_using_subcommand import" -l os -d 'Set the OS of the imported image' -r
complete -c skiff -n "__fish_skiff_using_subcommand import" -l variant -d 'Set the variant of the imported image' -r
complete -c skiff -n "__fish_skiff_using_subcommand import" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand import" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand import" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand import" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand import" -s q -l quiet -d 'Suppress output'
complete -c skiff -n "__fish_skiff_using_subcommand import" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -s f -l format -d 'Format the output using the given Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -s k -l type -d 'Specify inspect-object type (image, container or all)' -r -f -a "image\t''
container\t''
all\t''"
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -s s -l size -d 'Display total file size (containers only)'
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -s a -l all -d 'Remove all images'
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -s f -l force -d 'Force removal of the image and any containers using it'
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -s i -l ignore -d 'Ignore errors if a specified image does not exist'
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand save" -s o -l output -d 'Write to a specified file (default: stdout, which must be redirected)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand save" -l format -d 'Save image to oci-archive or docker-archive' -r -f -a "oci-archive\t''
docker-archive\t''"
complete -c skiff -n "__fish_skiff_using_subcommand save" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand save" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand save" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand save" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand save" -s m -l multi-image-archive -d 'Interpret additional arguments as images not tags and create a multi-image-archive (only for docker-archive)'
complete -c skiff -n "__fish_skiff_using_subcommand save" -s q -l quiet -d 'Suppress the output'
complete -c skiff -n "__fish_skiff_using_subcommand save" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand tag" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand tag" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand tag" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand tag" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand tag" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand untag" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand untag" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand untag" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand untag" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand untag" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l cert-dir -d 'Use certificates at the specified path to access the registry' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l creds -d 'Use `USERNAME[:PASSWORD]` for accessing the registry' -r
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l platform -d 'Specify the platform for selecting the image (os/arch[/variant])' -r
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l arch -d 'Use ARCH instead of the architecture of the machine for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l os -d 'Use OS instead of the running OS for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l variant -d 'Use VARIANT instead of the running architecture variant for choosing images' -r
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand pull" -s a -l all-tags -d 'Pull all tagged images in the repository'
complete -c skiff -n "__fish_skiff_using_subcommand pull" -s q -l quiet -d 'Suppress output information when pulling images'
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l disable-content-trust -d 'This is a Docker specific option and is a NOOP'
complete -c skiff -n "__fish_skiff_using_subcommand pull" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand push" -s f -l format -d 'Manifest type (oci, v2s2) to use when pushing' -r
complete -c skiff -n "__fish_skiff_using_subcommand push" -l compression-format -d 'Compression format to use for layers (gzip, zstd)' -r
complete -c skiff -n "__fish_skiff_using_subcommand push" -l digestfile -d 'Write the digest of the pushed image to the specified file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand push" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand push" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand push" -l cert-dir -d 'Use certificates at the specified path to access the registry' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand push" -l creds -d 'Use `USERNAME[:PASSWORD]` for accessing the registry' -r
complete -c skiff -n "__fish_skiff_using_subcommand push" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand push" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand push" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand push" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand push" -s q -l quiet -d 'Suppress output information when pushing images'
complete -c skiff -n "__fish_skiff_using_subcommand push" -l remove-signatures -d 'Discard any pre-existing signatures in the image'
complete -c skiff -n "__fish_skiff_using_subcommand push" -l disable-content-trust -d 'This is a Docker specific option and is a NOOP'
complete -c skiff -n "__fish_skiff_using_subcommand push" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand login" -s u -l username -d 'Username for registry' -r
complete -c skiff -n "__fish_skiff_using_subcommand login" -s p -l password -d 'Password for registry' -r
complete -c skiff -n "__fish_skiff_using_subcommand login" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand login" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand login" -l cert-dir -d 'Use certificates at the specified path to access the registry' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand login" -l creds -d 'Use `USERNAME[:PASSWORD]` for accessing the registry' -r
complete -c skiff -n "__fish_skiff_using_subcommand login" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand login" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand login" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand login" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand login" -l password-stdin -d 'Take the password from stdin'
complete -c skiff -n "__fish_skiff_using_subcommand login" -l get-login -d 'Return the current login user for the registry'
complete -c skiff -n "__fish_skiff_using_subcommand login" -s v -l verbose -d 'Write more detailed information to stdout'
complete -c skiff -n "__fish_skiff_using_subcommand login" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand logout" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand logout" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand logout" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand logout" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand logout" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand logout" -s a -l all -d 'Remove the cached credentials for all registries in the auth file'
complete -c skiff -n "__fish_skiff_using_subcommand logout" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand search" -l limit -d 'Limit the number of results' -r
complete -c skiff -n "__fish_skiff_using_subcommand search" -l format -d 'Change the output format to JSON or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand search" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand search" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand search" -l cert-dir -d 'Use certificates at the specified path to access the registry' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand search" -l creds -d 'Use `USERNAME[:PASSWORD]` for accessing the registry' -r
complete -c skiff -n "__fish_skiff_using_subcommand search" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand search" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand search" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand search" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand search" -l no-trunc -d 'Do not truncate the output'
complete -c skiff -n "__fish_skiff_using_subcommand search" -l list-tags -d 'List the tags of the input registry'
complete -c skiff -n "__fish_skiff_using_subcommand search" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand manifest; and not __fish_seen_subcommand_from inspect help" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand manifest; and not __fish_seen_subcommand_from inspect help" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand manifest; and not __fish_seen_subcommand_from inspect help" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand manifest; and not __fish_seen_subcommand_from inspect help" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand manifest; and not __fish_seen_subcommand_from inspect help" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand manifest; and not __fish_seen_subcommand_from inspect help" -f -a "inspect" -d 'Display the contents of a manifest list or image manifest in a registry'
complete -c skiff -n "__fish_skiff_using_subcommand manifest; and not __fish_seen_subcommand_from inspect help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand manifest; and __fish_seen_subcommand_from inspect" -l tls-verify -d 'Require HTTPS and verify certificates when contacting registries' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand manifest; and __fish_seen_subcommand_from inspect" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand manifest; and __fish_seen_subcommand_from inspect" -l cert-dir -d 'Use certificates at the specified path to access the registry' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand manifest; and __fish_seen_subcommand_from inspect" -l creds -d 'Use `USERNAME[:PASSWORD]` for accessing the registry' -r
complete -c skiff -n "__fish_skiff_using_subcommand manifest; and __fish_seen_subcommand_from inspect" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand manifest; and __fish_seen_subcommand_from inspect" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand manifest; and __fish_seen_subcommand_from inspect" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand manifest; and __fish_seen_subcommand_from inspect" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand manifest; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand manifest; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Display the contents of a manifest list or image manifest in a registry'
complete -c skiff -n "__fish_skiff_using_subcommand manifest; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand unshare" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand unshare" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand unshare" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand unshare" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand unshare" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand version" -s f -l format -d 'Change the output format to JSON or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand version" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand version" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand version" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand version" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand version" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -f -a "create" -d 'Create a new volume'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -f -a "ls" -d 'List volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -f -a "list" -d 'List volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -f -a "inspect" -d 'Display detailed information on one or more volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -f -a "rm" -d 'Remove one or more volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -f -a "remove" -d 'Remove one or more volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -f -a "prune" -d 'Remove all unused volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -f -a "exists" -d 'Check if the given volume exists'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune exists help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from create" -s d -l driver -d 'Specify volume driver name' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from create" -s l -l label -d 'Set metadata for a volume (e.g. --label mykey=value)' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from create" -s o -l opt -d 'Set driver specific options' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from create" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from create" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from create" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from create" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from create" -l ignore -d 'Don\'t fail if volume already exists'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter volume output (name=, label=, label!=, driver=, dangling=, anonymous=, opt=, scope=, until=, after=)' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -l format -d 'Format volume output using JSON or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -s n -l noheading -d 'Do not print headers'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print volume output in quiet mode'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -s f -l filter -d 'Filter volume output (name=, label=, label!=, driver=, dangling=, anonymous=, opt=, scope=, until=, after=)' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -l format -d 'Format volume output using JSON or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -s n -l noheading -d 'Do not print headers'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print volume output in quiet mode'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format volume output using JSON or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s a -l all -d 'Inspect all volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from rm" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from rm" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from rm" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from rm" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from rm" -s a -l all -d 'Remove all volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from rm" -s f -l force -d 'Remove a volume by force, even if it is being used by a container'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from remove" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from remove" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from remove" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from remove" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from remove" -s a -l all -d 'Remove all volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from remove" -s f -l force -d 'Remove a volume by force, even if it is being used by a container'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from prune" -l filter -d 'Provide filter values (e.g. \'label=<key>=<value>\')' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from prune" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from prune" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from prune" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from prune" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from exists" -l root -d 'Path to the root directory in which data, including images, is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from exists" -l runroot -d 'Path to the \'run directory\' where all state information is stored' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from exists" -l log-level -d 'Log messages above specified level (trace, debug, info, warn, error)' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from exists" -l storage-driver -d 'Select which storage driver is used to manage storage of images and containers' -r -f -a "overlay\t''"
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from exists" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a new volume'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Display detailed information on one or more volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove one or more volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove all unused volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "exists" -d 'Check if the given volume exists'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "run" -d 'Run a command in a new container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "create" -d 'Create but do not start a container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "start" -d 'Start one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "ps" -d 'List containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "stop" -d 'Stop one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "kill" -d 'Kill one or more running containers with a specific signal'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "rm" -d 'Remove one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "restart" -d 'Restart one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "wait" -d 'Block on one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "logs" -d 'Fetch the logs of one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "exec" -d 'Run a process in a running container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "container" -d 'Manage containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "rename" -d 'Rename an existing container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "port" -d 'List port mappings or a specific mapping for the container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "top" -d 'Display the running processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "diff" -d 'Inspect changes to the container\'s file systems'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "export" -d 'Export a container\'s filesystem contents as a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "commit" -d 'Create new image based on the changed container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "cp" -d 'Copy files/folders between a container and the local filesystem'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "attach" -d 'Attach to a running container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "image" -d 'Manage images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "images" -d 'List images in local storage'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "build" -d 'Build an image using instructions from Containerfiles'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "builder" -d 'Manage the build cache'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "buildx" -d 'Docker\'s buildx, for `buildx build`'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "history" -d 'Display the history of an image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "load" -d 'Load image(s) from a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "import" -d 'Import a tarball to create a filesystem image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "inspect" -d 'Display the configuration of an object'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "rmi" -d 'Remove one or more images from local storage'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "save" -d 'Save image(s) to an archive'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "tag" -d 'Add an additional name to a local image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "untag" -d 'Remove a name from a local image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "push" -d 'Push an image to a specified destination'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "login" -d 'Log in to a container registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "logout" -d 'Log out of a container registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "search" -d 'Search a registry for an image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "manifest" -d 'Manipulate manifest lists and image indexes'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "unshare" -d 'Run a command in a modified user namespace'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "version" -d 'Display the skiff version information'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "volume" -d 'Manage volumes'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from run create start ps stop kill rm restart wait logs exec container rename port top diff export commit cp attach image images build builder buildx history load import inspect rmi save tag untag pull push login logout search manifest unshare version volume help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "ls" -d 'List containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "rm" -d 'Remove one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "prune" -d 'Remove all non running containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "inspect" -d 'Display the configuration of a container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "exists" -d 'Check if a container exists in local storage'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "run" -d 'Run a command in a new container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "create" -d 'Create but do not start a container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "start" -d 'Start one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "stop" -d 'Stop one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "kill" -d 'Kill one or more running containers with a specific signal'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "restart" -d 'Restart one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "wait" -d 'Block on one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "logs" -d 'Fetch the logs of one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "exec" -d 'Run a process in a running container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "rename" -d 'Rename an existing container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "port" -d 'List port mappings or a specific mapping for the container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "top" -d 'Display the running processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "diff" -d 'Inspect changes to the container\'s file systems'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "export" -d 'Export a container\'s filesystem contents as a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "commit" -d 'Create new image based on the changed container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "cp" -d 'Copy files/folders between a container and the local filesystem'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "attach" -d 'Attach to a running container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "build" -d 'Build an image using instructions from Containerfiles'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "ls" -d 'List images in local storage'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "rm" -d 'Remove one or more images from local storage'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "inspect" -d 'Display the configuration of an image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "history" -d 'Show history of a specified image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "prune" -d 'Remove unused images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "save" -d 'Save image(s) to an archive'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "load" -d 'Load image(s) from a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "import" -d 'Import a tarball to create a filesystem image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "tag" -d 'Add an additional name to a local image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "untag" -d 'Remove a name from a local image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "exists" -d 'Check if an image exists in local storage'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "push" -d 'Push an image to a specified destination'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "search" -d 'Search a registry for an image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from builder" -f -a "build" -d 'Build an image using instructions from Containerfiles'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from builder" -f -a "prune" -d 'Remove the build cache'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from buildx" -f -a "build" -d 'Build an image using instructions from Containerfiles'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from buildx" -f -a "prune" -d 'Remove the build cache'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from manifest" -f -a "inspect" -d 'Display the contents of a manifest list or image manifest in a registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "create" -d 'Create a new volume'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "ls" -d 'List volumes'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "inspect" -d 'Display detailed information on one or more volumes'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "rm" -d 'Remove one or more volumes'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "prune" -d 'Remove all unused volumes'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "exists" -d 'Check if the given volume exists'
