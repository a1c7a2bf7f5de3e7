// The original clients' data_mods rules (docs/ai-chat.md), a port of ai.codvid.ai.DataMods:
// user_data = {projects: {<name>: project_data}}; a chunk's mods are applied in order; then one
// mod_count step for every project the chunk touched (not for a path that is exactly
// ["projects", name, "mod_count"]). A mod that cannot be applied throws, as the demo client
// raises; the caller then reloads the project.

const MODES = ['create', 'edit', 'del', 'append'];

const isIndex = (key) => Number.isInteger(key);
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const has = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);

/** Python's rule: 0 ≤ i < length, or a negative index counting from the end. */
function existing(array, index, path) {
  const resolved = index < 0 ? array.length + index : index;
  if (resolved < 0 || resolved >= array.length) {
    throw new Error(`index ${index} out of range in path ${JSON.stringify(path)}`);
  }
  return resolved;
}

const copy = (value) => (value !== null && typeof value === 'object' ? structuredClone(value) : value);

export function applyOne(userData, mod) {
  const path = mod.key_path;
  if (!Array.isArray(path) || path.length === 0) throw new Error('key_path must be a non-empty array');
  const mode = MODES.includes(mod.mode) ? mod.mode : null;
  if (!mode) throw new Error(`unknown mode ${mod.mode}`);
  const value = copy(mod.value);
  let target = userData;
  for (let i = 0; i < path.length - 1; i += 1) {
    const key = path[i];
    if (isObject(target) && typeof key === 'string') {
      if (!has(target, key)) {
        if (mode !== 'create') throw new Error(`key '${key}' not found in path ${JSON.stringify(path)}`);
        target[key] = {};
      }
      target = target[key];
    } else if (Array.isArray(target) && isIndex(key)) {
      target = target[existing(target, key, path)];
    } else {
      throw new Error(`cannot walk key ${key} of path ${JSON.stringify(path)}`);
    }
  }
  const last = path[path.length - 1];
  if (isObject(target) && typeof last === 'string') {
    if (mode === 'create') target[last] = value;
    else if (mode === 'edit') {
      if (!has(target, last)) throw new Error(`key '${last}' not found for edit`);
      target[last] = value;
    } else if (mode === 'del') delete target[last];
    else {
      if (!Array.isArray(target[last])) target[last] = [];
      target[last].push(value);
    }
  } else if (Array.isArray(target) && isIndex(last)) {
    if (mode === 'create') {
      if (last === target.length) target.push(value);
      else target[existing(target, last, path)] = value;
    } else if (mode === 'edit') {
      target[existing(target, last, path)] = value;
    } else if (mode === 'del') {
      if (last < target.length) target.splice(existing(target, last, path), 1);
    } else {
      const at = existing(target, last, path);
      if (!Array.isArray(target[at])) target[at] = [];
      target[at].push(value);
    }
  } else {
    throw new Error(`cannot ${mode} at key ${last} of path ${JSON.stringify(path)}`);
  }
}

function touchedProject(path) {
  return Array.isArray(path) && path.length >= 2 && path[0] === 'projects' && typeof path[1] === 'string'
    && !(path.length === 3 && path[2] === 'mod_count') ? path[1] : null;
}

/** Applies one chunk's mods in place, then counts one mod_count step per touched project. */
export function applyChunk(userData, mods) {
  const touched = new Set();
  for (const mod of mods) {
    if (!isObject(mod)) throw new Error('a data mod must be an object');
    const project = touchedProject(mod.key_path);
    if (project !== null) touched.add(project);
    applyOne(userData, mod);
  }
  const projects = isObject(userData.projects) ? userData.projects : {};
  for (const name of touched) {
    if (isObject(projects[name])) {
      const count = projects[name].mod_count;
      projects[name].mod_count = (typeof count === 'number' ? count : 0) + 1;
    }
  }
  return touched;
}
