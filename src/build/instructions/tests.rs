use std::collections::BTreeSet;
use std::time::Duration;

use super::*;
use crate::build::dockerfile::parse;
use crate::build::shell::Lexer;

/// Parses a Dockerfile made of `source` and returns its first instruction as a command.
fn command(source: &str) -> Result<Command> {
    let df = parse(source, "Dockerfile")?;
    parse_command(&df.instructions[0], "Dockerfile", df.escape_token())
}

fn ok(source: &str) -> Command {
    command(source).unwrap_or_else(|e| panic!("{source:?}: {e:#}"))
}

fn error(source: &str) -> String {
    match command(source) {
        Ok(cmd) => panic!("{source:?} parsed as {cmd:?}"),
        Err(e) => format!("{e:#}"),
    }
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn stages(source: &str) -> Result<(Vec<ArgDefault>, Vec<Stage>)> {
    let df = parse(source, "Dockerfile")?;
    parse_stages(&df, "Dockerfile")
}

fn expand(cmd: &Command, env: &[(&str, &str)]) -> (Command, BTreeSet<String>) {
    expand_command(cmd, &Lexer::new('\\'), env).unwrap_or_else(|e| panic!("{cmd:?}: {e:#}"))
}

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn from_with_platform_and_alias() {
    assert_eq!(
        ok("FROM --platform=$BUILDPLATFORM golang:1.22 AS Build"),
        Command::From {
            image: "golang:1.22".into(),
            platform: Some("$BUILDPLATFORM".into()),
            alias: Some("build".into()),
        }
    );
    assert_eq!(
        ok("from alpine"),
        Command::From {
            image: "alpine".into(),
            platform: None,
            alias: None,
        }
    );
    assert_eq!(
        error("FROM a b"),
        "Dockerfile:1: FROM requires either one or three arguments"
    );
    assert_eq!(
        error("FROM a AS 1st"),
        "Dockerfile:1: invalid name for build stage: \"1st\", name can't start with a number or contain symbols"
    );
    assert_eq!(
        error("FROM a AS b$c"),
        "Dockerfile:1: invalid name for build stage: \"b$c\", name can't start with a number or contain symbols"
    );
    assert_eq!(
        error("FROM --plattform=x a"),
        "Dockerfile:1: Unknown flag: plattform"
    );
    assert_eq!(
        error("FROM --platform a"),
        "Dockerfile:1: Missing a value on flag: platform"
    );
}

#[test]
fn run_shell_exec_and_flags() {
    let Command::Run {
        cmd,
        mounts,
        network,
        security,
        heredocs,
    } = ok(
        "RUN --mount=type=cache,target=/root/.cache --network=none \\\n  pip install -r req.txt",
    )
    else {
        panic!("not RUN");
    };
    assert_eq!(cmd, ShellOrExec::Shell("pip install -r req.txt".into()));
    assert_eq!(mounts.len(), 1);
    assert_eq!(mounts[0].mount_type, MountType::Cache);
    assert_eq!(mounts[0].target.as_deref(), Some("/root/.cache"));
    assert_eq!(network, Some(NetworkMode::None));
    assert_eq!(security, None);
    assert!(heredocs.is_empty());

    let Command::Run { cmd, security, .. } = ok(r#"RUN --security=insecure ["echo", "a b"]"#)
    else {
        panic!("not RUN");
    };
    assert_eq!(cmd, ShellOrExec::Exec(strings(&["echo", "a b"])));
    assert_eq!(security, Some(Security::Insecure));

    let Command::Run { mounts, .. } =
        ok("RUN --mount=type=secret,id=npm --mount=type=bind,from=build,target=/src,rw true")
    else {
        panic!("not RUN");
    };
    assert_eq!(mounts.len(), 2);
    assert_eq!(mounts[1].from.as_deref(), Some("build"));
    assert!(!mounts[1].readonly);

    assert_eq!(
        error("RUN --network=bridge true"),
        "Dockerfile:1: invalid network mode \"bridge\""
    );
    assert_eq!(
        error("RUN --security=yolo true"),
        "Dockerfile:1: security \"yolo\" is not valid"
    );
    assert_eq!(
        error("RUN --device=/dev/fuse true"),
        "Dockerfile:1: Unknown flag: device"
    );
    assert_eq!(
        error("RUN --mount=type=cach,target=/x true"),
        "Dockerfile:1: unsupported mount type \"cach\" (did you mean cache?)"
    );
    assert_eq!(
        error("RUN --mount=type=bind,target=/x,from=$STAGE true"),
        "Dockerfile:1: 'from' doesn't support variable expansion, define alias stage instead"
    );
    assert_eq!(
        error("RUN --network=host --network=none true"),
        "Dockerfile:1: Duplicate flag specified: network"
    );
}

#[test]
fn mount_values_are_read_with_the_files_escape_character() {
    let Command::Run { mounts, .. } = ok("RUN --mount=type=cache,id='my cache',target=/c true")
    else {
        panic!("not RUN");
    };
    assert_eq!(mounts[0].id.as_deref(), Some("my cache"));
}

#[test]
fn run_heredoc_is_kept_unexpanded() {
    let Command::Run { cmd, heredocs, .. } = ok("RUN <<EOF\necho $HOME\nEOF\n") else {
        panic!("not RUN");
    };
    assert_eq!(cmd, ShellOrExec::Shell("<<EOF".into()));
    assert_eq!(heredocs.len(), 1);
    assert_eq!(heredocs[0].content, "echo $HOME\n");
    let run = ok("RUN <<EOF\necho $HOME\nEOF\n");
    let (expanded, used) = expand(&run, &[("HOME", "/root")]);
    assert_eq!(expanded, run);
    assert!(used.is_empty());
}

#[test]
fn copy_forms_and_flags() {
    assert_eq!(
        ok("COPY --from=build --chown=app:app --chmod=755 --link a b /dst/"),
        Command::Copy {
            sources: strings(&["a", "b"]),
            dest: "/dst/".into(),
            from: Some("build".into()),
            chown: Some("app:app".into()),
            chmod: Some("755".into()),
            link: true,
            parents: false,
            exclude: Vec::new(),
            heredocs: Vec::new(),
        }
    );
    let Command::Copy {
        sources,
        dest,
        parents,
        exclude,
        link,
        ..
    } = ok(r#"COPY --parents --exclude=*.md --exclude=.git --link=false ["a b", "/x y/"]"#)
    else {
        panic!("not COPY");
    };
    assert_eq!((sources, dest), (strings(&["a b"]), "/x y/".to_string()));
    assert!(parents && !link);
    assert_eq!(exclude, strings(&["*.md", ".git"]));
    // A bare `--` ends the flags (BuildKit's flags fixture).
    assert!(matches!(ok("COPY -- foo /tmp/"), Command::Copy { .. }));

    let two_args = "requires at least two arguments, but only one was provided. Destination could not be determined";
    assert_eq!(error("COPY foo"), format!("Dockerfile:1: COPY {two_args}"));
    assert_eq!(error("ADD foo"), format!("Dockerfile:1: ADD {two_args}"));
    assert_eq!(
        error("COPY --keep-git-dir a b"),
        "Dockerfile:1: Unknown flag: keep-git-dir"
    );
    assert_eq!(
        error("COPY --user=me foo /tmp/"),
        "Dockerfile:1: Unknown flag: user"
    );
    assert_eq!(
        error("COPY --link= a b"),
        "Dockerfile:1: Missing a value on flag: link"
    );
    assert_eq!(
        error("COPY --link=yes a b"),
        "Dockerfile:1: Expecting boolean value for flag link, not: yes"
    );
    assert_eq!(
        error("COPY --from a b"),
        "Dockerfile:1: Missing a value on flag: from"
    );
    assert_eq!(
        error("COPY --chown=a --chown=b a b"),
        "Dockerfile:1: Duplicate flag specified: chown"
    );
    assert_eq!(
        error("COPY a <<EOF\nx\nEOF\n"),
        "Dockerfile:1: COPY cannot accept a heredoc as a destination"
    );
}

#[test]
fn copy_heredocs_become_inline_sources() {
    let source = "COPY <<-EOF <<'RAW' plain /dst/\n\tindented $X\n\tEOF\nkeep $Y\nRAW\n";
    let copy = ok(source);
    let Command::Copy {
        sources, heredocs, ..
    } = &copy
    else {
        panic!("not COPY");
    };
    assert_eq!(sources, &strings(&["plain"]));
    assert_eq!(
        heredocs,
        &vec![
            HeredocSource {
                path: "EOF".into(),
                data: "indented $X\n".into(),
                expand: true,
            },
            HeredocSource {
                path: "RAW".into(),
                data: "keep $Y\n".into(),
                expand: false,
            },
        ]
    );
    let (expanded, used) = expand(&copy, &[("X", "\"x\""), ("Y", "y")]);
    let Command::Copy { heredocs, .. } = expanded else {
        panic!("not COPY");
    };
    // Quotes are text in a body; only the unquoted terminator's body expands.
    assert_eq!(heredocs[0].data, "indented \"x\"\n");
    assert_eq!(heredocs[1].data, "keep $Y\n");
    assert_eq!(used, names(&["X"]));
}

#[test]
fn add_flags() {
    assert_eq!(
        ok("ADD --checksum=sha256:abc --keep-git-dir --unpack=false https://x/a.tar /a"),
        Command::Add {
            sources: strings(&["https://x/a.tar"]),
            dest: "/a".into(),
            chown: None,
            chmod: None,
            link: false,
            exclude: Vec::new(),
            checksum: Some("sha256:abc".into()),
            keep_git_dir: true,
            unpack: Some(false),
            heredocs: Vec::new(),
        }
    );
    assert!(matches!(ok("ADD a b"), Command::Add { unpack: None, .. }));
    assert_eq!(
        error("ADD --from=x a b"),
        "Dockerfile:1: Unknown flag: from"
    );
    assert_eq!(
        error("ADD --parents a b"),
        "Dockerfile:1: Unknown flag: parents"
    );
}

#[test]
fn env_label_arg() {
    assert_eq!(
        ok("ENV A=1 B=\"two words\""),
        Command::Env(vec![
            ("A".into(), "1".into()),
            ("B".into(), "\"two words\"".into()),
        ])
    );
    assert_eq!(
        ok("ENV OLD the rest of the line"),
        Command::Env(vec![("OLD".into(), "the rest of the line".into())])
    );
    assert_eq!(
        ok("LABEL \"com.example.vendor\"=\"ACME\" version=1"),
        Command::Label(vec![
            ("\"com.example.vendor\"".into(), "\"ACME\"".into()),
            ("version".into(), "1".into()),
        ])
    );
    assert_eq!(
        ok("ARG A B=2 C="),
        Command::Arg(vec![
            ("A".into(), None),
            ("B".into(), Some("2".into())),
            ("C".into(), Some(String::new())),
        ])
    );
    assert_eq!(
        error("ENV"),
        "Dockerfile:1: ENV requires at least one argument"
    );
    assert_eq!(
        error("LABEL =x"),
        "Dockerfile:1: LABEL names can not be blank"
    );
    assert_eq!(
        error("ARG"),
        "Dockerfile:1: ARG requires at least one argument"
    );
    assert_eq!(error("ARG =x"), "Dockerfile:1: ARG names can not be blank");
    assert_eq!(error("ENV --x=1 A=b"), "Dockerfile:1: Unknown flag: x");
}

#[test]
fn single_argument_instructions() {
    assert_eq!(ok("WORKDIR /app dir"), Command::Workdir("/app dir".into()));
    assert_eq!(ok("USER app:app"), Command::User("app:app".into()));
    assert_eq!(
        ok("STOPSIGNAL SIGKILL"),
        Command::Stopsignal("SIGKILL".into())
    );
    assert_eq!(
        ok("MAINTAINER Jane <j@example.com>"),
        Command::Maintainer("Jane <j@example.com>".into())
    );
    assert_eq!(
        error("WORKDIR"),
        "Dockerfile:1: WORKDIR requires exactly one argument"
    );
    assert_eq!(
        error("USER"),
        "Dockerfile:1: USER requires exactly one argument"
    );
    assert_eq!(
        error("STOPSIGNAL --now SIGTERM"),
        "Dockerfile:1: Unknown flag: now"
    );
}

#[test]
fn expose_volume_shell() {
    assert_eq!(
        ok("EXPOSE 8080/tcp 443 80"),
        Command::Expose(strings(&["443", "80", "8080/tcp"]))
    );
    assert_eq!(
        ok("VOLUME /data /logs"),
        Command::Volume(strings(&["/data", "/logs"]))
    );
    assert_eq!(
        ok(r#"VOLUME ["/a b", " /c "]"#),
        Command::Volume(strings(&["/a b", "/c"]))
    );
    assert_eq!(
        ok(r#"SHELL ["/bin/bash", "-eo", "pipefail", "-c"]"#),
        Command::Shell(strings(&["/bin/bash", "-eo", "pipefail", "-c"]))
    );
    assert_eq!(
        error("EXPOSE"),
        "Dockerfile:1: EXPOSE requires at least one argument"
    );
    assert_eq!(
        error(r#"VOLUME ["/a", " "]"#),
        "Dockerfile:1: VOLUME specified can not be an empty string"
    );
    assert_eq!(
        error("SHELL /bin/bash -c"),
        "Dockerfile:1: SHELL requires the arguments to be in JSON form"
    );
    assert_eq!(
        error("SHELL []"),
        "Dockerfile:1: SHELL requires at least one argument"
    );
}

#[test]
fn cmd_and_entrypoint() {
    let cmd = ok("CMD echo $HOME");
    assert_eq!(cmd, Command::Cmd(ShellOrExec::Shell("echo $HOME".into())));
    assert_eq!(
        ok("ENTRYPOINT []"),
        Command::Entrypoint(ShellOrExec::Exec(Vec::new()))
    );
    assert_eq!(
        ShellOrExec::Shell("echo hi".into()).prepend_shell(&[]),
        strings(&["/bin/sh", "-c", "echo hi"])
    );
    assert_eq!(
        ShellOrExec::Shell("echo hi".into()).prepend_shell(&strings(&["bash", "-c"])),
        strings(&["bash", "-c", "echo hi"])
    );
    assert_eq!(
        ShellOrExec::Exec(strings(&["a", "b"])).prepend_shell(&strings(&["bash", "-c"])),
        strings(&["a", "b"])
    );
    // The shell expands shell form; the builder leaves both forms alone.
    let (expanded, used) = expand(&cmd, &[("HOME", "/root")]);
    assert_eq!(expanded, cmd);
    assert!(used.is_empty());
    assert_eq!(
        error("CMD --doit [\"a\"]"),
        "Dockerfile:1: Unknown flag: doit"
    );
}

#[test]
fn healthchecks() {
    assert_eq!(
        ok("HEALTHCHECK NONE"),
        Command::Healthcheck(Healthcheck::None)
    );
    let check = ok(
        "HEALTHCHECK --interval=5s --timeout=1m30s --start-period=0s --start-interval=500ms --retries=3 \\\n  CMD curl -f http://localhost/ || exit 1",
    );
    let Command::Healthcheck(check) = check else {
        panic!("not HEALTHCHECK");
    };
    assert_eq!(
        check,
        Healthcheck::Cmd {
            test: ShellOrExec::Shell("curl -f http://localhost/ || exit 1".into()),
            interval: Duration::from_secs(5),
            timeout: Duration::from_secs(90),
            start_period: Duration::ZERO,
            start_interval: Duration::from_millis(500),
            retries: 3,
        }
    );
    assert_eq!(
        check.config_test(),
        strings(&["CMD-SHELL", "curl -f http://localhost/ || exit 1"])
    );
    let Command::Healthcheck(exec) = ok(r#"HEALTHCHECK cmd ["/check", "-q"]"#) else {
        panic!("not HEALTHCHECK");
    };
    assert_eq!(exec.config_test(), strings(&["CMD", "/check", "-q"]));

    let cases = [
        ("HEALTHCHECK", "HEALTHCHECK requires at least one argument"),
        ("HEALTHCHECK NONE x", "HEALTHCHECK NONE takes no arguments"),
        ("HEALTHCHECK CMD", "Missing command after HEALTHCHECK CMD"),
        (
            "HEALTHCHECK CONNECT TCP 7000",
            "Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)",
        ),
        (
            "HEALTHCHECK --interval=1us CMD x",
            "Interval \"interval\" cannot be less than 1ms",
        ),
        (
            "HEALTHCHECK --timeout=-1s CMD x",
            "Interval \"timeout\" cannot be less than 1ms",
        ),
        (
            "HEALTHCHECK --interval=5 CMD x",
            "time: missing unit in duration \"5\"",
        ),
        (
            "HEALTHCHECK --interval=fast CMD x",
            "time: invalid duration \"fast\"",
        ),
        (
            "HEALTHCHECK --retries=-1 CMD x",
            "--retries cannot be negative (-1)",
        ),
        (
            "HEALTHCHECK --retries=many CMD x",
            "strconv.ParseInt: parsing \"many\": invalid syntax",
        ),
        ("HEALTHCHECK --bogus=1 CMD x", "Unknown flag: bogus"),
        ("HEALTHCHECK --bogus=1 NONE", "Unknown flag: bogus"),
    ];
    for (source, message) in cases {
        assert_eq!(
            error(source),
            format!("Dockerfile:1: {message}"),
            "{source}"
        );
    }
    // BuildKit does not look at flags for NONE; HEALTHCHECK's own are accepted there.
    assert_eq!(
        ok("HEALTHCHECK --interval=5s NONE"),
        Command::Healthcheck(Healthcheck::None)
    );
}

#[test]
fn onbuild_triggers() {
    let Command::Onbuild {
        command,
        expression,
    } = ok("onbuild   RUN --mount=type=cache,target=/c make")
    else {
        panic!("not ONBUILD");
    };
    assert_eq!(expression, "RUN --mount=type=cache,target=/c make");
    assert!(matches!(*command, Command::Run { ref mounts, .. } if mounts.len() == 1));

    let Command::Onbuild {
        command,
        expression,
    } = ok("ONBUILD COPY <<EOF /greeting\nhello\nEOF\n")
    else {
        panic!("not ONBUILD");
    };
    assert_eq!(expression, "COPY <<EOF /greeting\nhello\nEOF");
    assert!(
        matches!(*command, Command::Copy { ref heredocs, .. } if heredocs[0].data == "hello\n")
    );

    assert_eq!(
        error("ONBUILD ONBUILD RUN x"),
        "Dockerfile:1: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"
    );
    assert_eq!(
        error("ONBUILD FROM alpine"),
        "Dockerfile:1: FROM isn't allowed as an ONBUILD trigger"
    );
    assert_eq!(
        error("ONBUILD maintainer me"),
        "Dockerfile:1: MAINTAINER isn't allowed as an ONBUILD trigger"
    );
    assert_eq!(
        error("ONBUILD"),
        "Dockerfile:1: ONBUILD requires at least one argument"
    );
    assert_eq!(
        error("ONBUILD COPY x"),
        format!(
            "Dockerfile:1: COPY requires at least two arguments, but only one was provided. Destination could not be determined"
        )
    );
    // ONBUILD is stored, not expanded.
    let onbuild = ok("ONBUILD WORKDIR $X");
    assert_eq!(expand(&onbuild, &[("X", "/x")]).0, onbuild);
}

#[test]
fn unknown_instructions_name_the_word_as_written() {
    assert_eq!(
        error("XYZZY bar"),
        "Dockerfile:1: unknown instruction: XYZZY"
    );
    assert_eq!(
        error("FOO bar"),
        "Dockerfile:1: unknown instruction: FOO (did you mean FROM?)"
    );
    assert_eq!(
        error("RUNN make"),
        "Dockerfile:1: unknown instruction: RUNN (did you mean RUN?)"
    );
    assert_eq!(
        error("# comment\n\ncopi a b"),
        "Dockerfile:3: unknown instruction: copi (did you mean copy?)"
    );
}

#[test]
fn stages_with_meta_args() {
    let source = "\
# syntax=docker/dockerfile:1
ARG BASE=alpine:3.20
ARG VERSION
FROM ${BASE} AS Builder
ARG VERSION
RUN make VERSION=$VERSION
FROM --platform=linux/arm64 scratch
COPY --from=builder /out /
COPY --from=0 /out /again
";
    let (meta, stages) = stages(source).unwrap();
    assert_eq!(
        meta,
        vec![
            ("BASE".to_string(), Some("alpine:3.20".to_string())),
            ("VERSION".to_string(), None),
        ]
    );
    assert_eq!(stages.len(), 2);
    let builder = &stages[0];
    assert_eq!(builder.name.as_deref(), Some("builder"));
    assert_eq!(builder.base, "${BASE}");
    assert_eq!((builder.index, builder.location.start_line), (0, 4));
    assert_eq!(builder.commands.len(), 2);
    assert!(matches!(builder.commands[0].0, Command::Arg(_)));
    let (run, location) = &builder.commands[1];
    assert!(matches!(run, Command::Run { .. }));
    assert_eq!(location.start_line, 6);
    assert_eq!(location.original, "RUN make VERSION=$VERSION");

    let last = &stages[1];
    assert_eq!((last.name.as_ref(), last.index), (None, 1));
    assert_eq!(last.platform.as_deref(), Some("linux/arm64"));
    assert!(matches!(
        &last.commands[0].0,
        Command::Copy { from: Some(from), .. } if from == "builder"
    ));
    assert!(matches!(
        &last.commands[1].0,
        Command::Copy { from: Some(from), .. } if from == "0"
    ));

    // FROM is expanded with the meta args alone.
    let from = Command::From {
        image: builder.base.clone(),
        platform: None,
        alias: builder.name.clone(),
    };
    let (expanded, used) = expand(&from, &[("BASE", "alpine:3.20")]);
    assert!(matches!(expanded, Command::From { ref image, .. } if image == "alpine:3.20"));
    assert_eq!(used, names(&["BASE"]));
}

#[test]
fn stage_errors() {
    let location_of = |source: &str| format!("{:#}", stages(source).unwrap_err());
    assert_eq!(
        location_of("FROM a AS x\nRUN true\nFROM b AS X\n"),
        "Dockerfile:3: duplicate stage name \"x\""
    );
    assert_eq!(
        location_of("ARG A\nRUN true\nFROM a\n"),
        "Dockerfile:2: no build stage in current context"
    );
    assert_eq!(
        location_of("ARG A\n"),
        "Dockerfile: dockerfile contains no stages to build"
    );
    assert_eq!(
        location_of("FROM a\n\nRUN \\\n  --bogus true\n"),
        "Dockerfile:3: Unknown flag: bogus"
    );
}

#[test]
fn expansion_of_paths_env_and_flags() {
    let workdir = ok("WORKDIR ${DIR:-/srv}/app");
    assert_eq!(
        expand(&workdir, &[]),
        (Command::Workdir("/srv/app".into()), names(&[]))
    );
    assert_eq!(
        expand(&workdir, &[("DIR", "/opt")]),
        (Command::Workdir("/opt/app".into()), names(&["DIR"]))
    );

    // COPY splits at blanks before expansion, as BuildKit does; a value may hold them.
    let copy = ok("COPY --chown=${UID:-1000} --chmod=$MODE ${SRC:-src}/ \"$DEST\"/sub/");
    let (expanded, used) = expand(&copy, &[("SRC", "lib"), ("DEST", "/opt dir"), ("MODE", "")]);
    let Command::Copy {
        sources,
        dest,
        chown,
        chmod,
        ..
    } = expanded
    else {
        panic!("not COPY");
    };
    assert_eq!(sources, strings(&["lib/"]));
    assert_eq!(dest, "/opt dir/sub/");
    assert_eq!(chown.as_deref(), Some("1000"));
    assert_eq!(chmod, None, "a flag that expands to nothing is not given");
    assert_eq!(used, names(&["DEST", "MODE", "SRC"]));

    // ENV sees the values from before the instruction, for every pair.
    let env = ok("ENV A=new B=${A}-x C=\"$UNSET\"");
    let (expanded, used) = expand(&env, &[("A", "old")]);
    assert_eq!(
        expanded,
        Command::Env(vec![
            ("A".into(), "new".into()),
            ("B".into(), "old-x".into()),
            ("C".into(), String::new()),
        ])
    );
    assert_eq!(used, names(&["A"]));

    let (expanded, _) = expand(&ok("EXPOSE $PORTS 22"), &[("PORTS", "80 443/udp")]);
    assert_eq!(expanded, Command::Expose(strings(&["80", "443/udp", "22"])));

    let (expanded, used) = expand(&ok("ARG TAG=${VERSION}-slim OTHER"), &[("VERSION", "3")]);
    assert_eq!(
        expanded,
        Command::Arg(vec![
            ("TAG".into(), Some("3-slim".into())),
            ("OTHER".into(), None)
        ])
    );
    assert_eq!(used, names(&["VERSION"]));

    let (expanded, _) = expand(
        &ok("LABEL $K=\"$V\" USER=$USER"),
        &[("K", "k"), ("V", "v w"), ("USER", "me")],
    );
    assert_eq!(
        expanded,
        Command::Label(vec![
            ("k".into(), "v w".into()),
            ("USER".into(), "me".into())
        ])
    );

    let (expanded, _) = expand(&ok("VOLUME [\"$D/a\", \"/b\"]"), &[("D", "/data")]);
    assert_eq!(expanded, Command::Volume(strings(&["/data/a", "/b"])));
    let (expanded, _) = expand(&ok("USER ${U:?no user}"), &[("U", "app")]);
    assert_eq!(expanded, Command::User("app".into()));
    let failure = expand_command(&ok("USER ${U:?no user}"), &Lexer::new('\\'), &[("X", "")]);
    assert!(format!("{:#}", failure.unwrap_err()).contains("no user"));
    let (expanded, _) = expand(&ok("STOPSIGNAL $SIG"), &[("SIG", "SIGINT")]);
    assert_eq!(expanded, Command::Stopsignal("SIGINT".into()));
}

#[test]
fn expansion_of_copy_from_add_checksum_and_mounts() {
    let (copy, used) = expand(&ok("COPY --from=$STAGE a b"), &[("STAGE", "build")]);
    assert!(matches!(copy, Command::Copy { from: Some(ref f), .. } if f == "build"));
    assert_eq!(used, names(&["STAGE"]));

    let (add, _) = expand(
        &ok("ADD --checksum=sha256:$SUM --exclude=$X https://x/$F /"),
        &[("SUM", "ab"), ("F", "f.tgz"), ("X", "x")],
    );
    let Command::Add {
        checksum,
        sources,
        exclude,
        ..
    } = add
    else {
        panic!("not ADD");
    };
    assert_eq!(checksum.as_deref(), Some("sha256:ab"));
    assert_eq!(sources, strings(&["https://x/f.tgz"]));
    assert_eq!(exclude, strings(&["$X"]), "--exclude is not expanded");

    // The type is only known after expansion, and so are the checks that depend on it.
    let run = ok("RUN --mount=type=$KIND,target=$HOME/.cache,uid=$UID,size=1g true");
    let lexer = Lexer::new('\\');
    let failure = |env: &[(&str, &str)]| match expand_command(&run, &lexer, env) {
        Ok(cmd) => panic!("expanded to {cmd:?}"),
        Err(e) => format!("{e:#}"),
    };
    assert_eq!(
        failure(&[("KIND", "tmpfs"), ("UID", "0")]),
        "uid not allowed for \"tmpfs\" type mounts"
    );
    assert_eq!(
        failure(&[("KIND", "bind"), ("UID", "0")]),
        "unexpected key 'size' for mount type 'bind'"
    );
    let good = ok("RUN --mount=type=$KIND,target=$HOME/.cache,uid=$UID true");
    let (expanded, used) = expand(&good, &[("KIND", "cache"), ("HOME", "/root"), ("UID", "7")]);
    assert_eq!(used, names(&["HOME", "KIND", "UID"]));
    let Command::Run { mounts, cmd, .. } = expanded else {
        panic!("not RUN");
    };
    assert_eq!(mounts[0].mount_type, MountType::Cache);
    assert_eq!(mounts[0].target.as_deref(), Some("/root/.cache"));
    assert_eq!(mounts[0].uid, Some(7));
    assert_eq!(cmd, ShellOrExec::Shell("true".into()));
}

#[test]
fn escape_directive_applies_to_expansion_lexer_not_to_parsing() {
    let df = parse("# escape=`\nFROM a\nWORKDIR C:\\dir\\$NAME\n", "Dockerfile").unwrap();
    let (_, stages) = parse_stages(&df, "Dockerfile").unwrap();
    let workdir = &stages[0].commands[0].0;
    let lexer = Lexer::new(df.escape_token());
    let (expanded, _) = expand_command(workdir, &lexer, &[("NAME", "x")]).unwrap();
    assert_eq!(expanded, Command::Workdir("C:\\dir\\x".into()));
}
