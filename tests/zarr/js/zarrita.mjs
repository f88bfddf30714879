// An independent Zarr v3 implementation (zarrita, from the npm registry) reading our stores and
// writing stores for us to read; run by tests/zarr/zarrita_interop_test.cpp.
//   node zarrita.mjs read STORE GROUP   every array of the group (and of its subgroups) as JSON
//   node zarrita.mjs write STORE         a ragged asebytes group "default" of 3 frames, every
//                                        array through other codecs than ours (zarrita_rows.hpp)
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import * as zarr from "zarrita";
import FileSystemStore from "@zarrita/storage/fs";

function plain(x) {
  if (typeof x === "bigint") return x.toString();
  if (typeof x === "number" && !Number.isFinite(x)) return String(x);
  return x;
}

async function readArrays(store, dir, prefix, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const name = prefix + entry.name;
    const meta = path.join(dir, entry.name, "zarr.json");
    if (!fs.existsSync(meta)) continue;
    const node = JSON.parse(fs.readFileSync(meta, "utf8"));
    if (node.node_type === "group") {
      await readArrays(store, path.join(dir, entry.name), name + "/", out);
      continue;
    }
    const arr = await zarr.open.v3(zarr.root(store).resolve(name), { kind: "array" });
    const chunk = await zarr.get(arr);
    out[name] = { shape: chunk.shape, data_type: arr.dtype, values: Array.from(chunk.data, plain) };
  }
}

async function read(storeDir, group) {
  const store = new FileSystemStore(path.join(storeDir, group));
  const out = {};
  await readArrays(store, path.join(storeDir, group), "", out);
  const attrs = JSON.parse(fs.readFileSync(path.join(storeDir, group, "zarr.json"), "utf8")).attributes;
  process.stdout.write(JSON.stringify({ attributes: attrs, arrays: out }));
}

const blosc = (cname, shuffle, typesize) => ({
  name: "blosc",
  configuration: { cname, clevel: 7, shuffle, typesize, blocksize: 0 },
});

async function put(group, name, data_type, shape, chunk_shape, codecs, data, fill_value) {
  const arr = await zarr.create(group.resolve(name), { shape, dtype: data_type, chunkShape: chunk_shape, codecs, fillValue: fill_value });
  await zarr.set(arr, null, { data, shape, stride: strides(shape) });
}

function strides(shape) {
  const s = shape.map(() => 1);
  for (let d = shape.length - 2; d >= 0; d--) s[d] = s[d + 1] * shape[d + 1];
  return s;
}

function writeGzipArray(dir, data, chunk) {
  const meta = {
    shape: [data.length], data_type: "int64",
    chunk_grid: { name: "regular", configuration: { chunk_shape: [chunk] } },
    chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
    fill_value: 0,
    codecs: [{ name: "bytes", configuration: { endian: "little" } }, { name: "gzip", configuration: { level: 6 } }],
    attributes: {}, zarr_format: 3, node_type: "array", storage_transformers: [],
  };
  fs.mkdirSync(path.join(dir, "c"), { recursive: true });
  fs.writeFileSync(path.join(dir, "zarr.json"), JSON.stringify(meta, null, 2));
  for (let k = 0; k * chunk < data.length; k++) {
    const part = new BigInt64Array(chunk); // edge chunks are whole, the rest the fill value
    part.set(data.subarray(k * chunk, Math.min(data.length, (k + 1) * chunk)));
    fs.writeFileSync(path.join(dir, "c", String(k)), zlib.gzipSync(Buffer.from(part.buffer), { level: 6 }));
  }
}

function writeStringArray(dir, items, chunk) {
  const meta = {
    shape: [items.length], data_type: "string",
    chunk_grid: { name: "regular", configuration: { chunk_shape: [chunk] } },
    chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
    fill_value: "", codecs: [{ name: "vlen-utf8", configuration: {} }],
    attributes: {}, zarr_format: 3, node_type: "array", storage_transformers: [],
  };
  fs.mkdirSync(path.join(dir, "c"), { recursive: true });
  fs.writeFileSync(path.join(dir, "zarr.json"), JSON.stringify(meta, null, 2));
  for (let k = 0; k * chunk < items.length; k++) {
    const part = items.slice(k * chunk, (k + 1) * chunk);
    while (part.length < chunk) part.push("");
    const parts = [u32(part.length)];
    for (const s of part) {
      const b = Buffer.from(s, "utf8");
      parts.push(u32(b.length), b);
    }
    fs.writeFileSync(path.join(dir, "c", String(k)), Buffer.concat(parts));
  }
}

function u32(n) {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

async function write(storeDir) {
  const store = new FileSystemStore(storeDir);
  const lengths = [2, 3, 1]; // atoms per frame
  const group = await zarr.create(zarr.root(store).resolve("default"), {
    attributes: {
      n_frames: 3,
      columns: ["arrays.numbers", "arrays.positions", "calc.energy", "cell", "info.label", "pbc"],
      per_atom_columns: ["arrays.numbers", "arrays.positions"],
      asebytes_version: "0.3.1",
    },
  });
  const atoms = 6;
  await put(group, "_offsets", "int64", [3], [2], [{ name: "bytes", configuration: { endian: "little" } }],
            new BigInt64Array([0n, 2n, 5n]), 0);
  await put(group, "_lengths", "int32", [3], [3], [{ name: "bytes", configuration: { endian: "big" } }],
            new Int32Array(lengths), 0);
  // zarrita decodes gzip but does not encode it: this array's files are written here, with
  // node's zlib, as zarr-python writes a gzip array.
  writeGzipArray(path.join(storeDir, "default", "arrays.numbers"), new BigInt64Array([1n, 8n, 6n, 1n, 1n, 29n]), 4);
  const positions = new Float64Array(atoms * 3).map((_, i) => i * 0.25 - 1);
  await put(group, "arrays.positions", "float64", [atoms, 3], [4, 3],
            [{ name: "bytes", configuration: { endian: "little" } }, blosc("zstd", "bitshuffle", 8)], positions, NaN);
  await put(group, "calc.energy", "float64", [3], [2],
            [{ name: "bytes", configuration: { endian: "big" } }, { name: "zstd", configuration: { level: 3, checksum: true } }],
            new Float64Array([-1.5, Infinity, -3.25]), NaN);
  await put(group, "cell", "float64", [3, 3, 3], [1, 3, 3],
            [{ name: "bytes", configuration: { endian: "little" } }, blosc("lz4hc", "noshuffle", 8)],
            new Float64Array(27).map((_, i) => (i % 4 === 0 ? 5 : 0)), NaN);
  await put(group, "pbc", "bool", [3, 3], [3, 3], [{ name: "bytes" }, blosc("blosclz", "shuffle", 1)],
            new Uint8Array([1, 1, 1, 0, 0, 0, 1, 0, 1]), false);
  // zarrita decodes vlen-utf8 but does not encode it: written here as well.
  writeStringArray(path.join(storeDir, "default", "info.label"), ['"bulk"', '"mol\\u00e9cule"', "[1, 2.5]"], 2);
}

const [mode, ...args] = process.argv.slice(2);
if (mode === "read") await read(args[0], args[1]);
else if (mode === "write") await write(args[0]);
else {
  console.error("usage: zarrita.mjs read STORE GROUP | write STORE");
  process.exit(2);
}
