// Import button of the grid pages: uploads the chosen file (CSV, NDJSON, .gz) to the table's bulk import and
// shows the job's progress until its report.
"use strict";

/**
 * Wires {@code input} (a file input) to import into {@code path} (/api/v1/{table}); {@code status} shows the
 * progress; {@code done} runs after a job ends; {@code refused(message, retry)} asks for a key on 401/403.
 */
function wireImport(path, input, status, done, refused) {
  const say = (text) => {
    status.textContent = text;
    status.hidden = !text;
  };
  const typeOf = (name) => {
    const plain = name.toLowerCase().replace(/\.gz$/, "");
    if (plain.endsWith(".csv")) return "text/csv";
    if (plain.endsWith(".ndjson") || plain.endsWith(".jsonl")) return "application/x-ndjson";
    return null;
  };
  async function upload(file) {
    const type = typeOf(file.name);
    if (!type) return say("Choose a .csv, .ndjson or .jsonl file (.gz when compressed).");
    const headers = withKey({ "Content-Type": type });
    if (file.name.toLowerCase().endsWith(".gz")) headers["Content-Encoding"] = "gzip";
    say("Uploading " + file.name + "…");
    const res = await fetch(path + "/import?mode=skip_invalid", { method: "POST", headers, body: file });
    const body = await res.json().catch(() => ({}));
    if (res.status === 401 || res.status === 403) {
      say("");
      return refused(body.detail || "Sign in to import.", () => upload(file));
    }
    if (!res.ok) return say("Import refused: " + (body.detail || res.statusText));
    poll(res.headers.get("Location"));
  }
  async function poll(location) {
    const job = await fetch(location, { headers: withKey() }).then((r) => r.json());
    const n = (v) => Number(v || 0).toLocaleString();
    if (job.state === "queued" || job.state === "running" || job.state === "indexing") {
      const pct = job.progress == null ? "" : Math.round(job.progress * 100) + "% · ";
      say("Importing: " + pct + n(job.rows_read) + " rows" + (job.state === "indexing" ? " · indexing" : "")
        + (job.eta_seconds != null ? " · about " + job.eta_seconds + " s left" : ""));
      return setTimeout(() => poll(location), 500);
    }
    const errors = (job.errors || []).slice(0, 3).map((e) => e.message).join(" ");
    say((job.state === "succeeded" ? "Imported: " : "Import failed: ") + n(job.rows_inserted) + " inserted, "
      + n(job.rows_updated) + " updated, " + n(job.rows_rejected) + " rejected."
      + (job.failure ? " " + job.failure : "") + (errors ? " " + errors : ""));
    done();
  }
  input.addEventListener("change", () => {
    const file = input.files && input.files[0];
    input.value = "";
    if (file) upload(file).catch((e) => say("Import failed: " + e.message));
  });
}
