// Reference outputs of @vladmandic/face-api's face_expression_model (logits, 7 labels) and face_recognition_model
// (128-d descriptor) for fixed inputs, computed by the original networks in Node with TFJS's WASM backend (no native
// download). The Java import (dev.emotion.core.models.faces) must reproduce them; see FaceApiParityTest.
//
//   cd deploy/parity && npm install && node faceapi_reference.js <models-dir> ../../emotion-ml/src/test/resources/parity
//
// <models-dir> holds the *-weights_manifest.json and .bin files (deploy/models/fetch-models.sh puts them in
// ~/.cache/emotion/models/face-api). Inputs: RGB 0..255 integers from the formula
//   k = FNV-1a 32-bit hash of the input's name, v_i = floor(((i * 2654435761 + k) mod 2^32) / 2^32 * 256)
// plus a smooth gradient image, so both an unstructured and a structured face-sized input are compared.
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
require('@tensorflow/tfjs-backend-wasm');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

function fnv1a(name) {
  let h = 0x811c9dc5n;
  for (const b of Buffer.from(name, 'utf8')) {
    h ^= BigInt(b);
    h = (h * 0x01000193n) & 0xffffffffn;
  }
  return h;
}

function noise(name, size) {
  const n = size * size * 3;
  const k = fnv1a(name);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = Number((BigInt(i) * 2654435761n + k) & 0xffffffffn) / 4294967296;
    out[i] = Math.floor(u * 256);
  }
  return tf.tensor3d(out, [size, size, 3]);
}

function gradient(size) {
  const out = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 3;
      out[i] = Math.floor((255 * x) / (size - 1));
      out[i + 1] = Math.floor((255 * y) / (size - 1));
      out[i + 2] = (x * 7 + y * 13) % 256;
    }
  }
  return tf.tensor3d(out, [size, size, 3]);
}

async function run(net, size, name) {
  const inputs = [noise(name, size), gradient(size)];
  const netInput = await faceapi.toNetInput(inputs);
  const out = name === 'expression' ? net.runNet(netInput) : net.forwardInput(netInput);
  return out.arraySync();
}

async function main() {
  const [modelDir, outDir] = process.argv.slice(2);
  await tf.setBackend('wasm');
  await tf.ready();
  const expression = new faceapi.FaceExpressionNet();
  await expression.loadFromDisk(modelDir);
  const recognition = new faceapi.FaceRecognitionNet();
  await recognition.loadFromDisk(modelDir);
  const result = {
    faceapi: faceapi.version,
    tfjs: tf.version_core,
    backend: tf.getBackend(),
    inputs: ['noise(<net name>)', 'gradient'],
    expression: { size: 112, labels: ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'],
      logits: await run(expression, 112, 'expression') },
    recognition: { size: 150, descriptor: await run(recognition, 150, 'recognition') },
  };
  fs.writeFileSync(path.join(outDir, 'faceapi_reference.json'), JSON.stringify(result));
  console.log(JSON.stringify({ expression: result.expression.logits, recognition: result.recognition.descriptor.map((d) => d.slice(0, 4)) }));
}

main().catch((e) => { console.error(e); process.exit(1); });
