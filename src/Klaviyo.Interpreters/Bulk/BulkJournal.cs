using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>Journals for <see cref="BulkPipeline"/>.</summary>
public static class BulkJournal
{
    /// <summary>The format name written in every journal file.</summary>
    public const string Format = "klaviyo-bulk-journal/1";

    /// <summary>
    /// A journal kept in the file <paramref name="path"/>: one JSON document, rewritten whole after every job event
    /// through a temporary file moved over the old one (a crash leaves the previous version, never half a file).
    /// A missing file is an empty journal. One pipeline at a time per file.
    /// </summary>
    /// <example><code>
    /// var journal = BulkJournal.File("import.journal.json");
    /// var summary = await BulkPipeline.RunAsync("bulk_import_profiles", items, options, journal: journal);
    /// </code></example>
    /// <param name="path">The file; its folder is created when needed.</param>
    public static IBulkJournal File(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new FileJournal(Path.GetFullPath(path));
    }

    /// <summary>A journal kept in memory (for tests, or a pipeline that is resumed within one process).</summary>
    public static IBulkJournal InMemory() => new MemoryJournal();

    private sealed class MemoryJournal : IBulkJournal
    {
        private BulkJournalState _state = BulkJournalState.Empty;

        public Task<BulkJournalState> LoadAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(Volatile.Read(ref _state));

        public Task SaveAsync(BulkJournalState state, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(state);
            Volatile.Write(ref _state, state);
            return Task.CompletedTask;
        }

        public override string ToString() => "BulkJournal (in memory)";
    }

    private sealed class FileJournal(string path) : IBulkJournal
    {
        public async Task<BulkJournalState> LoadAsync(CancellationToken cancellationToken = default)
        {
            FixtureStorage.RemoveOrphans(path);
            if (!System.IO.File.Exists(path))
                return BulkJournalState.Empty;
            var bytes = await System
                .IO.File.ReadAllBytesAsync(path, cancellationToken)
                .ConfigureAwait(false);
            try
            {
                return Read(bytes);
            }
            catch (Exception e)
                when (e
                        is JsonException
                            or InvalidOperationException
                            or FormatException
                            or KeyNotFoundException
                )
            {
                throw new InvalidDataException(
                    $"'{path}' is not a bulk journal ({Format}): {e.Message}",
                    e
                );
            }
        }

        public Task SaveAsync(BulkJournalState state, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(state);
            return FixtureStorage.WithLockAsync(
                path,
                () => FixtureStorage.WriteAtomically(path, stream => Write(stream, state)),
                cancellationToken
            );
        }

        public override string ToString() => $"BulkJournal ({path})";
    }

    private static BulkJournalState Read(byte[] bytes)
    {
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        if (root.GetProperty("format").GetString() != Format)
            throw new FormatException($"the format is not {Format}");
        var jobs = root.GetProperty("jobs")
            .EnumerateArray()
            .Select(j => new BulkJournalEntry(
                j.GetProperty("chunk").GetInt32(),
                j.GetProperty("first_item").GetInt32(),
                j.GetProperty("items").GetInt32(),
                j.GetProperty("fingerprint").GetString()
                    ?? throw new FormatException("a job has no fingerprint"),
                j.TryGetProperty("job_id", out var id) && id.ValueKind == JsonValueKind.String
                    ? id.GetString()
                    : null,
                Status(j.GetProperty("status").GetString())
            )
            {
                Total = Int(j, "total"),
                Completed = Int(j, "completed"),
                Failed = Int(j, "failed"),
                ItemErrors = Int(j, "item_errors") ?? 0,
            })
            .ToArray();
        var operation = root.GetProperty("operation").GetString();
        return new BulkJournalState(operation, toSeq(jobs));
    }

    private static void Write(Stream stream, BulkJournalState state)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("format", Format);
        w.WriteString("operation", state.OperationId);
        w.WriteStartArray("jobs");
        foreach (var job in state.Jobs)
        {
            w.WriteStartObject();
            w.WriteNumber("chunk", job.Chunk);
            w.WriteNumber("first_item", job.FirstItem);
            w.WriteNumber("items", job.ItemCount);
            w.WriteString("fingerprint", job.Fingerprint);
            w.WriteString("job_id", job.JobId);
            w.WriteString("status", job.Status.ToString().ToLowerInvariant());
            foreach (
                var (name, value) in new[]
                {
                    ("total", job.Total),
                    ("completed", job.Completed),
                    ("failed", job.Failed),
                }
            )
                if (value is { } v)
                    w.WriteNumber(name, v);
            w.WriteNumber("item_errors", job.ItemErrors);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        stream.WriteByte((byte)'\n');
    }

    private static BulkJobStatus Status(string? name) =>
        Enum.TryParse<BulkJobStatus>(name, ignoreCase: true, out var status)
        && Enum.IsDefined(status)
        && !int.TryParse(name, out _)
            ? status
            : throw new FormatException($"unknown job status '{name}'");

    private static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetInt32()
            : null;
}
