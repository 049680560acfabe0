using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>Where a bulk job is.</summary>
public enum BulkJobStatus
{
    /// <summary>Klaviyo took the items (202) and gives no job to follow: subscribe, unsubscribe, events, deletions.</summary>
    Accepted,

    /// <summary>Created, not started (also a job whose status was not reported yet).</summary>
    Queued,

    /// <summary>Running.</summary>
    Processing,

    /// <summary>Done; some items may still have failed (see the per-item errors).</summary>
    Complete,

    /// <summary>Done without processing its items.</summary>
    Failed,

    /// <summary>Cancelled before it was done.</summary>
    Cancelled,

    /// <summary>A status this library does not know; polled like a running job.</summary>
    Unknown,
}

/// <summary>One job of a bulk pipeline: which items it holds, its id, its status and counts as Klaviyo last reported them.</summary>
/// <param name="Chunk">Which job of the pipeline, from 0 (see <see cref="BulkChunk.Index"/>).</param>
/// <param name="FirstItem">The input index of its first item.</param>
/// <param name="ItemCount">How many items it holds.</param>
/// <param name="Id">Klaviyo's job id; <c>null</c> when Klaviyo gives none (<see cref="BulkJobStatus.Accepted"/>).</param>
/// <param name="Status">Its status.</param>
public sealed record BulkJob(
    int Chunk,
    int FirstItem,
    int ItemCount,
    string? Id,
    BulkJobStatus Status
)
{
    /// <summary>The job's <c>total_count</c>, when reported.</summary>
    public int? Total { get; init; }

    /// <summary>The job's <c>completed_count</c>, when reported.</summary>
    public int? Completed { get; init; }

    /// <summary>The job's <c>failed_count</c>, when reported.</summary>
    public int? Failed { get; init; }

    /// <summary>How many times it was polled.</summary>
    public int Polls { get; init; }

    /// <summary>How long the pipeline waited for it, in all (the sum of the waits before its polls).</summary>
    public TimeSpan Waited { get; init; }

    /// <summary>Whether a journal said it was already submitted or done, so this run did not create it.</summary>
    public bool Resumed { get; init; }

    /// <summary>The errors the job resource itself carries (its <c>errors</c> attribute: catalog and coupon jobs).</summary>
    public Seq<KlaviyoApiError> JobErrors { get; init; } = Seq<KlaviyoApiError>();

    /// <summary>Whether there is nothing more to wait for: accepted, complete, failed or cancelled.</summary>
    public bool IsFinished =>
        Status
            is BulkJobStatus.Accepted
                or BulkJobStatus.Complete
                or BulkJobStatus.Failed
                or BulkJobStatus.Cancelled;

    /// <summary>Like <c>BulkJob { Chunk = 0, items 0-99, Id = 01HX…, Status = Complete, failed 2 }</c>.</summary>
    public override string ToString() =>
        $"BulkJob {{ Chunk = {Chunk}, items {FirstItem}-{FirstItem + ItemCount - 1}, Id = {Id ?? "none"}, Status = {Status}"
        + (Failed is { } f ? $", failed {f}" : "")
        + " }";
}

/// <summary>One item Klaviyo reported as failed.</summary>
/// <param name="Item">The item's index in the input; <c>null</c> when Klaviyo's error does not say which item.</param>
/// <param name="JobId">The job that reported it.</param>
/// <param name="Error">Klaviyo's error: code, title, detail, and the pointer into the job's body.</param>
public sealed record BulkItemError(int? Item, string? JobId, KlaviyoApiError Error);

/// <summary>What a bulk pipeline did: its jobs, per-item errors, and the items it did not send.</summary>
/// <param name="OperationId">The bulk operation, e.g. <c>bulk_import_profiles</c>.</param>
/// <param name="Jobs">Every job, in input order.</param>
/// <param name="Errors">The per-item errors Klaviyo reported, by job then as reported.</param>
/// <param name="NotSubmitted">Items not sent: too large for a job, refused by Klaviyo, or not reached.</param>
public sealed record BulkSummary(
    string OperationId,
    Seq<BulkJob> Jobs,
    Seq<BulkItemError> Errors,
    Seq<BulkNotSubmitted> NotSubmitted
)
{
    /// <summary>Why the pipeline stopped before the end (a failure that is not one job's refusal), if it did.</summary>
    public KlaviyoError? Stopped { get; init; }

    /// <summary>Items in jobs Klaviyo created (or accepted).</summary>
    public int ItemsSubmitted => Jobs.Sum(j => j.ItemCount);

    /// <summary>
    /// Items Klaviyo took: every item of an accepted job, and those of a complete job less its failed ones (the
    /// larger of its <c>failed_count</c> and the number of its items the errors name). Items of failed, cancelled or unfinished jobs
    /// are not counted.
    /// </summary>
    public int ItemsAccepted => Jobs.Sum(Accepted);

    /// <summary>Jobs still queued or processing when the pipeline stopped waiting for them.</summary>
    public Seq<BulkJob> Unfinished => Jobs.Filter(j => !j.IsFinished);

    /// <summary>Whether every item was sent and taken: no stop, nothing unsent, no per-item error, every job accepted or complete.</summary>
    public bool Succeeded =>
        Stopped is null
        && NotSubmitted.IsEmpty
        && Errors.IsEmpty
        && Jobs.ForAll(j =>
            j.Status is BulkJobStatus.Accepted
            || (j.Status is BulkJobStatus.Complete && (j.Failed ?? 0) == 0)
        );

    /// <summary>Like <c>BulkSummary { bulk_import_profiles: 3 jobs, 250 submitted, 248 accepted, 2 errors, 0 not submitted }</c>.</summary>
    public override string ToString() =>
        $"BulkSummary {{ {OperationId}: {Jobs.Count} jobs, {ItemsSubmitted} submitted, {ItemsAccepted} accepted, {Errors.Count} errors, {NotSubmitted.Count} not submitted"
        + (Stopped is null ? "" : $", stopped: {Stopped.Message}")
        + " }";

    private int Accepted(BulkJob job)
    {
        if (job.Status == BulkJobStatus.Accepted)
            return job.ItemCount;
        if (job.Status != BulkJobStatus.Complete)
            return 0;
        var named = Errors
            .Where(e => e.Item >= job.FirstItem && e.Item < job.FirstItem + job.ItemCount)
            .Select(e => e.Item)
            .Distinct()
            .Count();
        return Math.Max(0, job.ItemCount - Math.Max(job.Failed ?? 0, named));
    }
}
