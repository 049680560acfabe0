using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// Where a bulk pipeline remembers its jobs, so a run that stopped midway (a crash, Ctrl+C, a network failure)
/// resumes without creating again a job it already created: a job recorded as finished is skipped, one recorded as
/// submitted is polled. <see cref="BulkJournal.File"/> keeps it in a file; implement this for a database of your own.
/// Never holds items or secrets: only job numbers, input ranges, fingerprints, job ids, statuses and counts.
/// </summary>
public interface IBulkJournal
{
    /// <summary>What an earlier run recorded; <see cref="BulkJournalState.Empty"/> when nothing was.</summary>
    /// <param name="cancellationToken">Stops reading.</param>
    Task<BulkJournalState> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces what is recorded with <paramref name="state"/>, all or nothing (a crash midway leaves the previous state).</summary>
    /// <param name="state">The whole state.</param>
    /// <param name="cancellationToken">Stops writing.</param>
    Task SaveAsync(BulkJournalState state, CancellationToken cancellationToken = default);
}

/// <summary>What a journal holds: the operation and each job the pipeline created.</summary>
/// <param name="OperationId">The bulk operation; <c>null</c> for a new journal.</param>
/// <param name="Jobs">The jobs, by <see cref="BulkJournalEntry.Chunk"/>.</param>
public sealed record BulkJournalState(string? OperationId, Seq<BulkJournalEntry> Jobs)
{
    /// <summary>A journal nothing was recorded in.</summary>
    public static readonly BulkJournalState Empty = new(null, Seq<BulkJournalEntry>());

    /// <summary>This state with <paramref name="entry"/> in place of the entry for its chunk.</summary>
    /// <param name="entry">The entry.</param>
    internal BulkJournalState With(BulkJournalEntry entry) =>
        this with
        {
            Jobs = toSeq(
                Jobs.Filter(j => j.Chunk != entry.Chunk).Add(entry).OrderBy(j => j.Chunk).ToArray()
            ),
        };
}

/// <summary>One job as recorded: which items, the fingerprint of its body, its id, and where it got to.</summary>
/// <param name="Chunk">Which job of the pipeline, from 0.</param>
/// <param name="FirstItem">The input index of its first item.</param>
/// <param name="ItemCount">How many items it holds.</param>
/// <param name="Fingerprint">The fingerprint of its body (<see cref="BulkChunk.Fingerprint"/>): a resumed run checks that its input gives the same job.</param>
/// <param name="JobId">Klaviyo's job id, when it gave one.</param>
/// <param name="Status">Its status: finished (<see cref="BulkJob.IsFinished"/>) or still to wait for.</param>
public sealed record BulkJournalEntry(
    int Chunk,
    int FirstItem,
    int ItemCount,
    string Fingerprint,
    string? JobId,
    BulkJobStatus Status
)
{
    /// <summary>The job's <c>total_count</c>, when known.</summary>
    public int? Total { get; init; }

    /// <summary>The job's <c>completed_count</c>, when known.</summary>
    public int? Completed { get; init; }

    /// <summary>The job's <c>failed_count</c>, when known.</summary>
    public int? Failed { get; init; }

    /// <summary>How many per-item errors were read for it (they are reported once, by the run that read them).</summary>
    public int ItemErrors { get; init; }

    /// <summary>Whether there is nothing more to do for it.</summary>
    public bool IsFinished =>
        Status
            is BulkJobStatus.Accepted
                or BulkJobStatus.Complete
                or BulkJobStatus.Failed
                or BulkJobStatus.Cancelled;
}
