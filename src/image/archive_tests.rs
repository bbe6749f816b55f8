//! Tests of archive reading and writing with in-memory archives.

use std::io::{Read, Write};

use serde_json::{Value, json};

use super::Digest;
use super::archive::{ArchiveImage, read_archive};
use super::archive_write::{SaveImage, write_docker_archive, write_oci_archive};
use super::memory::MemoryBlobs;
use super::schema_check::{SchemaKind, validate};
use super::types::{self, Descriptor};

fn layer_tar(file: &str, content: &[u8]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(content.len() as u64);
    h.set_mode(0o644);
    h.set_cksum();
    b.append_data(&mut h, file, content).unwrap();
    b.into_inner().unwrap()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// An image of two layers (gzip blobs, as pulled) in a fresh store.
fn sample_image(store: &mut MemoryBlobs, names: &[&str], docker: bool) -> SaveImage {
    let tars = [layer_tar("a", b"hello"), layer_tar("b", b"world")];
    let diff_ids: Vec<Digest> = tars.iter().map(|t| Digest::of(t)).collect();
    let layer_type = if docker {
        types::DOCKER_LAYER_GZIP
    } else {
        types::OCI_LAYER_GZIP
    };
    let layers: Vec<Descriptor> = tars
        .iter()
        .map(|t| {
            let gz = gzip(t);
            let len = gz.len() as u64;
            Descriptor::new(layer_type, store.insert(gz), len)
        })
        .collect();
    let config_bytes = serde_json::to_vec(&json!({
        "created": "2024-01-02T03:04:05Z", "architecture": "amd64", "os": "linux",
        "config": {"Env": ["PATH=/bin"], "Cmd": ["sh"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created_by": "a"}, {"created_by": "b"}]
    }))
    .unwrap();
    let config = store.insert(config_bytes.clone());
    let (mt, ct) = if docker {
        (types::DOCKER_MANIFEST, types::DOCKER_CONFIG)
    } else {
        (types::OCI_MANIFEST, types::OCI_CONFIG)
    };
    let manifest = types::Manifest {
        schema_version: 2,
        media_type: Some(mt.to_string()),
        artifact_type: None,
        config: Descriptor::new(ct, config.clone(), config_bytes.len() as u64),
        layers: layers.clone(),
        subject: None,
        annotations: None,
    };
    let manifest_bytes = types::to_json(&manifest).unwrap();
    let manifest = store.insert(manifest_bytes.clone());
    SaveImage {
        names: names.iter().map(|s| s.to_string()).collect(),
        manifest,
        manifest_bytes,
        config,
        config_bytes,
        layers,
        diff_ids,
    }
}

fn read(bytes: &[u8]) -> anyhow::Result<(Vec<ArchiveImage>, MemoryBlobs)> {
    let mut sink = MemoryBlobs::new();
    let images = read_archive(bytes, &mut sink)?;
    Ok((images, sink))
}

fn err(bytes: &[u8]) -> String {
    format!("{:#}", read(bytes).unwrap_err())
}

/// A tar of the given files (and symlinks, when the content starts with "->").
fn tar_of(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, content) in files {
        let mut h = tar::Header::new_gnu();
        if let Some(target) = content.strip_prefix(b"->") {
            h.set_entry_type(tar::EntryType::Symlink);
            h.set_size(0);
            b.append_link(&mut h, path, std::str::from_utf8(target).unwrap())
                .unwrap();
        } else {
            h.set_size(content.len() as u64);
            h.set_mode(0o644);
            b.append_data(&mut h, path, &content[..]).unwrap();
        }
    }
    b.into_inner().unwrap()
}

fn members(archive: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut a = tar::Archive::new(archive);
    a.entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let path = e.path().unwrap().to_string_lossy().into_owned();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            (path, data)
        })
        .collect()
}

fn member(archive: &[u8], name: &str) -> Vec<u8> {
    members(archive)
        .into_iter()
        .find(|(p, _)| p == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .1
}

#[test]
fn oci_round_trip_validates_against_schemas() {
    let mut store = MemoryBlobs::new();
    let image = sample_image(
        &mut store,
        &["docker.io/library/busybox:latest", "localhost/mine:1"],
        false,
    );
    let mut out = Vec::new();
    write_oci_archive(&mut out, std::slice::from_ref(&image), &store).unwrap();

    let index: Value = serde_json::from_slice(&member(&out, "index.json")).unwrap();
    validate(SchemaKind::Index, &index).unwrap();
    assert_eq!(
        index["manifests"][0]["annotations"][types::ANNOTATION_REF_NAME],
        "docker.io/library/busybox:latest"
    );
    let layout: Value = serde_json::from_slice(&member(&out, "oci-layout")).unwrap();
    validate(SchemaKind::Layout, &layout).unwrap();
    let manifest: Value = serde_json::from_slice(&member(
        &out,
        &format!("blobs/sha256/{}", image.manifest.hex()),
    ))
    .unwrap();
    validate(SchemaKind::Manifest, &manifest).unwrap();
    let config: Value = serde_json::from_slice(&member(
        &out,
        &format!("blobs/sha256/{}", image.config.hex()),
    ))
    .unwrap();
    validate(SchemaKind::Config, &config).unwrap();

    let (images, sink) = read(&out).unwrap();
    assert_eq!(images.len(), 1, "{images:?}");
    let got = &images[0];
    assert_eq!(got.names, image.names);
    assert_eq!(got.manifest, image.manifest);
    assert_eq!(got.manifest_media_type, types::OCI_MANIFEST);
    assert_eq!(got.config, image.config);
    assert_eq!(got.layers, image.layers);
    for l in &image.layers {
        assert_eq!(sink.get(&l.digest), store.get(&l.digest));
    }
    assert!(sink.get(&image.manifest).is_some());

    // Deterministic: same input, same bytes, and fixed metadata.
    let mut again = Vec::new();
    write_oci_archive(&mut again, std::slice::from_ref(&image), &store).unwrap();
    assert_eq!(out, again);
    let mut a = tar::Archive::new(&out[..]);
    for e in a.entries().unwrap() {
        let e = e.unwrap();
        let h = e.header();
        assert_eq!(
            (h.uid().unwrap(), h.gid().unwrap(), h.mtime().unwrap()),
            (0, 0, 0)
        );
        let want = if h.entry_type().is_dir() {
            0o755
        } else {
            0o644
        };
        assert_eq!(h.mode().unwrap(), want);
    }
}

#[test]
fn oci_archive_converts_docker_manifests_and_dedups_blobs() {
    let mut store = MemoryBlobs::new();
    let image = sample_image(&mut store, &["docker.io/library/a:1"], true);
    let mut twin = image.clone();
    twin.names = vec!["docker.io/library/b:2".into()];
    let mut out = Vec::new();
    write_oci_archive(&mut out, &[image.clone(), twin], &store).unwrap();
    let paths: Vec<String> = members(&out).into_iter().map(|(p, _)| p).collect();
    let mut unique = paths.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(paths.len(), unique.len(), "{paths:?}");

    let (images, _) = read(&out).unwrap();
    assert_eq!(images.len(), 1);
    assert_eq!(
        images[0].names,
        ["docker.io/library/a:1", "docker.io/library/b:2"]
    );
    assert_ne!(images[0].manifest, image.manifest);
    assert_eq!(images[0].manifest_media_type, types::OCI_MANIFEST);
    assert_eq!(images[0].layers[0].media_type, types::OCI_LAYER_GZIP);
    let manifest: Value = serde_json::from_slice(&member(
        &out,
        &format!("blobs/sha256/{}", images[0].manifest.hex()),
    ))
    .unwrap();
    validate(SchemaKind::Manifest, &manifest).unwrap();
}

#[test]
fn docker_round_trip() {
    let mut store = MemoryBlobs::new();
    let image = sample_image(
        &mut store,
        &[
            "docker.io/library/busybox:latest",
            "quay.io/x/y@sha256:".to_string().leak(),
        ],
        false,
    );
    let mut image = image;
    image.names.pop();
    let mut out = Vec::new();
    write_docker_archive(&mut out, std::slice::from_ref(&image), &store).unwrap();

    let manifest: Value = serde_json::from_slice(&member(&out, "manifest.json")).unwrap();
    assert_eq!(
        manifest[0]["Config"],
        format!("{}.json", image.config.hex())
    );
    assert_eq!(
        manifest[0]["RepoTags"],
        json!(["docker.io/library/busybox:latest"])
    );
    assert_eq!(
        manifest[0]["Layers"][0],
        format!("{}/layer.tar", image.diff_ids[0].hex())
    );
    let repositories: Value = serde_json::from_slice(&member(&out, "repositories")).unwrap();
    assert_eq!(
        repositories["docker.io/library/busybox"]["latest"],
        image.diff_ids[1].hex()
    );

    let (images, sink) = read(&out).unwrap();
    assert_eq!(images.len(), 1);
    let got = &images[0];
    assert_eq!(got.names, image.names);
    assert_eq!(got.config, image.config);
    assert_eq!(got.manifest_media_type, types::DOCKER_MANIFEST);
    let layer_digests: Vec<&Digest> = got.layers.iter().map(|l| &l.digest).collect();
    assert_eq!(layer_digests, image.diff_ids.iter().collect::<Vec<_>>());
    assert!(
        got.layers
            .iter()
            .all(|l| l.media_type == types::DOCKER_LAYER_TAR)
    );
    let synthesized = types::parse_manifest(sink.get(&got.manifest).unwrap()).unwrap();
    assert_eq!(synthesized.config.digest, image.config);
    assert_eq!(synthesized.layers, got.layers);
}

#[test]
fn compressed_archives_read() {
    let mut store = MemoryBlobs::new();
    let image = sample_image(&mut store, &["docker.io/library/busybox:latest"], false);
    for docker in [false, true] {
        let mut out = Vec::new();
        if docker {
            write_docker_archive(&mut out, std::slice::from_ref(&image), &store).unwrap();
        } else {
            write_oci_archive(&mut out, std::slice::from_ref(&image), &store).unwrap();
        }
        let (plain, _) = read(&out).unwrap();
        assert_eq!(read(&gzip(&out)).unwrap().0, plain);
        assert_eq!(
            read(&zstd::encode_all(&out[..], 3).unwrap()).unwrap().0,
            plain
        );
    }
}

/// Docker before 25: `<id>/layer.tar`, a gzip layer, a symlinked duplicate layer,
/// manifest.json first, legacy json/VERSION files.
#[test]
fn legacy_docker_archive_with_symlinks_and_gzip_layers() {
    let t1 = layer_tar("a", b"1");
    let t2 = gzip(&layer_tar("b", b"2"));
    let diff2 = Digest::of(&layer_tar("b", b"2"));
    let config = serde_json::to_vec(&json!({"architecture":"amd64","os":"linux",
        "rootfs":{"type":"layers","diff_ids":[Digest::of(&t1), diff2, Digest::of(&t1)]},"container_config":{}}))
    .unwrap();
    let manifest = serde_json::to_vec(
        &json!([{"Config":"cfg.json","RepoTags":["busybox:latest","busybox:1"],
        "Layers":["l1/layer.tar","l2/layer.tar","l3/layer.tar"]}]),
    )
    .unwrap();
    let archive = tar_of(&[
        ("manifest.json", manifest),
        ("l3/layer.tar", b"->../l1/layer.tar".to_vec()),
        ("l1/layer.tar", t1.clone()),
        ("l1/json", b"{}".to_vec()),
        ("l1/VERSION", b"1.0".to_vec()),
        ("./l2/layer.tar", t2.clone()),
        ("cfg.json", config.clone()),
        ("repositories", b"{}".to_vec()),
    ]);
    let (images, sink) = read(&archive).unwrap();
    assert_eq!(images.len(), 1);
    let img = &images[0];
    assert_eq!(img.names, ["busybox:latest", "busybox:1"]);
    assert_eq!(img.config, Digest::of(&config));
    assert_eq!(img.layers.len(), 3);
    assert_eq!(img.layers[0].media_type, types::DOCKER_LAYER_TAR);
    assert_eq!(img.layers[1].media_type, types::DOCKER_LAYER_GZIP);
    assert_eq!(img.layers[1].digest, Digest::of(&t2));
    assert_eq!(img.layers[2].digest, Digest::of(&t1));
    assert!(
        sink.get(&Digest::of(b"{}")).is_none(),
        "legacy json files are not blobs"
    );
    let m: Value = serde_json::from_slice(sink.get(&img.manifest).unwrap()).unwrap();
    assert_eq!(m["mediaType"], types::DOCKER_MANIFEST);
    assert_eq!(m["config"]["mediaType"], types::DOCKER_CONFIG);
}

/// Docker 25+: an OCI layout inside, ref.name only a tag, the name in containerd's
/// annotation, and manifest.json pointing into blobs/.
#[test]
fn docker25_archive_with_nested_index() {
    let tar1 = layer_tar("a", b"1");
    let config = serde_json::to_vec(&json!({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[Digest::of(&tar1)]}})).unwrap();
    let manifest = types::to_json(&types::Manifest {
        schema_version: 2,
        media_type: Some(types::OCI_MANIFEST.into()),
        artifact_type: None,
        config: Descriptor::new(types::OCI_CONFIG, Digest::of(&config), config.len() as u64),
        layers: vec![Descriptor::new(
            types::OCI_LAYER_TAR,
            Digest::of(&tar1),
            tar1.len() as u64,
        )],
        subject: None,
        annotations: None,
    })
    .unwrap();
    let md = Digest::of(&manifest);
    let absent = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    let nested = serde_json::to_vec(&json!({"schemaVersion":2,"mediaType":types::OCI_INDEX,"manifests":[
        {"mediaType":types::OCI_MANIFEST,"digest":absent,"size":10,"platform":{"architecture":"s390x","os":"linux"}},
        {"mediaType":types::OCI_MANIFEST,"digest":md,"size":manifest.len(),"platform":{"architecture":"amd64","os":"linux"}}]}))
    .unwrap();
    let nd = Digest::of(&nested);
    let index = serde_json::to_vec(&json!({"schemaVersion":2,"mediaType":types::OCI_INDEX,"manifests":[
        {"mediaType":types::OCI_INDEX,"digest":nd,"size":nested.len(),"annotations":{
            types::ANNOTATION_REF_NAME:"latest", types::ANNOTATION_CONTAINERD_NAME:"docker.io/library/busybox:latest"}}]}))
    .unwrap();
    let docker_manifest = serde_json::to_vec(&json!([{"Config":format!("blobs/sha256/{}", Digest::of(&config).hex()),
        "RepoTags":["busybox:latest"],"Layers":[format!("blobs/sha256/{}", Digest::of(&tar1).hex())]}]))
    .unwrap();
    let blob = |b: &[u8]| format!("blobs/sha256/{}", Digest::of(b).hex());
    let files = [
        (blob(&tar1), tar1.clone()),
        (blob(&config), config.clone()),
        (blob(&manifest), manifest.clone()),
        (blob(&nested), nested.clone()),
        ("index.json".to_string(), index),
        ("manifest.json".to_string(), docker_manifest),
        (
            "oci-layout".to_string(),
            br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec(),
        ),
    ];
    let refs: Vec<(&str, Vec<u8>)> = files.iter().map(|(p, c)| (p.as_str(), c.clone())).collect();
    let (images, _) = read(&tar_of(&refs)).unwrap();
    assert_eq!(images.len(), 1);
    assert_eq!(images[0].names, ["docker.io/library/busybox:latest"]);
    assert_eq!(images[0].manifest, md);
    assert_eq!(images[0].config, Digest::of(&config));
}

fn oci_archive_of(store: &MemoryBlobs, image: &SaveImage) -> Vec<u8> {
    let mut out = Vec::new();
    write_oci_archive(&mut out, std::slice::from_ref(image), store).unwrap();
    out
}

/// `archive` with the member `name` dropped or replaced.
fn edited(archive: &[u8], name: &str, content: Option<Vec<u8>>) -> Vec<u8> {
    let files: Vec<(String, Vec<u8>)> = members(archive)
        .into_iter()
        .filter(|(p, _)| !p.ends_with('/') && p != "blobs" && p != "blobs/sha256")
        .filter_map(|(p, c)| {
            if p == name {
                content.clone().map(|c| (p, c))
            } else {
                Some((p, c))
            }
        })
        .collect();
    let refs: Vec<(&str, Vec<u8>)> = files.iter().map(|(p, c)| (p.as_str(), c.clone())).collect();
    tar_of(&refs)
}

#[test]
fn archive_errors() {
    let mut store = MemoryBlobs::new();
    let image = sample_image(&mut store, &["docker.io/library/busybox:latest"], false);
    let out = oci_archive_of(&store, &image);
    let layer = &image.layers[0].digest;
    let layer_path = format!("blobs/sha256/{}", layer.hex());

    assert_eq!(
        err(&edited(&out, &layer_path, None)),
        format!("archive is missing blob {layer}")
    );
    assert_eq!(
        err(&edited(&out, &layer_path, Some(b"other".to_vec()))),
        format!("blob {layer} in archive does not match its digest")
    );
    let e = err(&edited(&out, "index.json", Some(b"{not json".to_vec())));
    assert!(
        e.starts_with("reading index.json: invalid manifest JSON"),
        "{e}"
    );
    assert_eq!(
        err(&tar_of(&[("hello.txt", b"hi".to_vec())])),
        "not a docker-archive or oci-archive: no manifest.json or index.json"
    );
    assert_eq!(
        err(b""),
        "not a docker-archive or oci-archive: no manifest.json or index.json"
    );

    // Truncated: in the middle of a blob, in a header, and exactly at an entry boundary.
    let eof = "reading archive: unexpected end of file";
    assert_eq!(err(&out[..out.len() / 2]), eof);
    assert_eq!(err(&out[..1024 + 100]), eof);
    let first_two = {
        let mut a = tar::Archive::new(&out[..]);
        let mut entries = a.entries().unwrap();
        entries.next();
        let e = entries.next().unwrap().unwrap();
        (e.raw_file_position() + e.size()).div_ceil(512) as usize * 512
    };
    assert_eq!(err(&out[..first_two]), eof);
    let gz = gzip(&out);
    assert_eq!(err(&gz[..gz.len() / 2]), eof);

    // A descriptor whose size lies.
    let mut lying = image.clone();
    let mut m = types::parse_manifest(&image.manifest_bytes).unwrap();
    m.layers[0].size += 1;
    lying.layers[0].size += 1;
    lying.manifest_bytes = types::to_json(&m).unwrap();
    lying.manifest = Digest::of(&lying.manifest_bytes);
    let mut archive = Vec::new();
    write_oci_archive(&mut archive, std::slice::from_ref(&image), &store).unwrap();
    let swapped = edited(
        &archive,
        &format!("blobs/sha256/{}", image.manifest.hex()),
        None,
    );
    let mut files: Vec<(String, Vec<u8>)> = members(&swapped)
        .into_iter()
        .filter(|(p, _)| p != "index.json")
        .collect();
    files.push((
        format!("blobs/sha256/{}", lying.manifest.hex()),
        lying.manifest_bytes.clone(),
    ));
    let idx = serde_json::to_vec(&json!({"schemaVersion":2,"manifests":[{"mediaType":types::OCI_MANIFEST,"digest":lying.manifest,"size":lying.manifest_bytes.len()}]})).unwrap();
    files.push(("index.json".into(), idx));
    let refs: Vec<(&str, Vec<u8>)> = files
        .iter()
        .filter(|(p, _)| !p.ends_with('/') && p != "blobs" && p != "blobs/sha256")
        .map(|(p, c)| (p.as_str(), c.clone()))
        .collect();
    let e = err(&tar_of(&refs));
    assert!(e.contains("but its descriptor says"), "{e}");
}

#[test]
fn docker_archive_errors() {
    let t1 = layer_tar("a", b"1");
    let config =
        serde_json::to_vec(&json!({"rootfs":{"type":"layers","diff_ids":[Digest::of(b"x")]}}))
            .unwrap();
    let manifest = br#"[{"Config":"c.json","RepoTags":null,"Layers":["l/layer.tar"]}]"#.to_vec();
    let e = err(&tar_of(&[
        ("manifest.json", manifest.clone()),
        ("c.json", config.clone()),
    ]));
    assert_eq!(e, "archive is missing l/layer.tar, named in manifest.json");
    let e = err(&tar_of(&[
        ("manifest.json", manifest),
        ("c.json", config),
        ("l/layer.tar", t1),
    ]));
    assert!(e.contains("does not match the config's diff_id"), "{e}");
    let e = err(&tar_of(&[("manifest.json", b"{".to_vec())]));
    assert!(e.starts_with("invalid manifest.json in archive"), "{e}");
}

#[test]
fn writer_refuses_inconsistent_images() {
    let mut store = MemoryBlobs::new();
    let mut image = sample_image(&mut store, &["docker.io/library/busybox:latest"], false);
    image.config_bytes.push(b' ');
    assert!(write_oci_archive(Vec::new(), std::slice::from_ref(&image), &store).is_err());
    let mut image = sample_image(&mut store, &[], false);
    image.diff_ids.pop();
    assert!(write_docker_archive(Vec::new(), std::slice::from_ref(&image), &store).is_err());
    let image = sample_image(&mut MemoryBlobs::new(), &[], false);
    let e = write_oci_archive(
        Vec::new(),
        std::slice::from_ref(&image),
        &MemoryBlobs::new(),
    )
    .unwrap_err();
    assert!(format!("{e:#}").contains("not known"), "{e:#}");
}

/// A quick interop check with skopeo, when it is installed.
#[test]
fn skopeo_inspects_what_we_write() {
    if std::process::Command::new("skopeo")
        .arg("--version")
        .output()
        .is_err()
    {
        return;
    }
    let mut store = MemoryBlobs::new();
    let image = sample_image(&mut store, &["docker.io/library/busybox:latest"], true);
    let dir = tempfile::tempdir().unwrap();
    for (format, file) in [("oci-archive", "o.tar"), ("docker-archive", "d.tar")] {
        let path = dir.path().join(file);
        let f = std::fs::File::create(&path).unwrap();
        if format == "oci-archive" {
            write_oci_archive(f, std::slice::from_ref(&image), &store).unwrap();
        } else {
            write_docker_archive(f, std::slice::from_ref(&image), &store).unwrap();
        }
        let out = std::process::Command::new("skopeo")
            .args(["inspect", "--raw", &format!("{format}:{}", path.display())])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = std::process::Command::new("skopeo")
            .args([
                "inspect",
                "--config",
                &format!("{format}:{}", path.display()),
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    umoci_unpacks(&dir.path().join("o.tar"), dir.path());
}

fn umoci_unpacks(archive: &std::path::Path, dir: &std::path::Path) {
    if std::process::Command::new("umoci")
        .arg("--version")
        .output()
        .is_err()
    {
        return;
    }
    let layout = dir.join("layout");
    std::fs::create_dir(&layout).unwrap();
    tar::Archive::new(std::fs::File::open(archive).unwrap())
        .unpack(&layout)
        .unwrap();
    let out = std::process::Command::new("umoci")
        .args(["unpack", "--rootless", "--image"])
        .arg(format!(
            "{}:docker.io/library/busybox:latest",
            layout.display()
        ))
        .arg(dir.join("bundle"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "umoci: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read(dir.join("bundle/rootfs/b")).unwrap(),
        b"world"
    );
}

/// Blobs over the in-memory limit stream straight to the sink.
#[test]
fn large_layers_stream() {
    let big: Vec<u8> = (0..5u32 << 20).map(|i| (i * 7 % 251) as u8).collect();
    let tar = layer_tar("big", &big);
    let config =
        serde_json::to_vec(&json!({"rootfs":{"type":"layers","diff_ids":[Digest::of(&tar)]}}))
            .unwrap();
    let manifest =
        br#"[{"Config":"c.json","RepoTags":["big:1"],"Layers":["l/layer.tar"]}]"#.to_vec();
    let archive = tar_of(&[
        ("l/layer.tar", tar.clone()),
        ("c.json", config),
        ("manifest.json", manifest),
    ]);
    let (images, sink) = read(&archive).unwrap();
    assert_eq!(images[0].layers[0].digest, Digest::of(&tar));
    assert_eq!(sink.get(&Digest::of(&tar)).unwrap().len(), tar.len());
    assert_eq!(
        err(&archive[..3 << 20]),
        "reading archive: unexpected end of file"
    );
}
