namespace Klaviyo;

/// <summary>What happened to a job of a bulk pipeline (see <see cref="BulkEvent"/>).</summary>
public enum BulkEventKind
{
    /// <summary>The job was created (or, for an operation without jobs to follow, its items were accepted).</summary>
    Submitted,

    /// <summary>A poll found the job in a new status.</summary>
    StatusChanged,

    /// <summary>The job is done and its per-item errors were read.</summary>
    Finished,

    /// <summary>The pipeline stopped waiting for the job (<see cref="BulkPolling.MaxWait"/>); a journal lets a later run wait again.</summary>
    Unfinished,

    /// <summary>The journal knew the job: a finished one is skipped, a submitted one is polled, none is created again.</summary>
    Resumed,

    /// <summary>Klaviyo refused to create the job (400, 413 or 422); its items are not submitted, the others go on.</summary>
    Refused,

    /// <summary>An item cannot be sent: larger than any job may be, or not a JSON object.</summary>
    Rejected,
}

/// <summary>One event of a bulk pipeline, for progress reports; <see cref="BulkPipeline"/> reports them one at a time.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Job">The job, as last seen (for every kind but <see cref="BulkEventKind.Refused"/> and <see cref="BulkEventKind.Rejected"/>).</param>
/// <param name="NotSubmitted">The items not sent (for <see cref="BulkEventKind.Refused"/> and <see cref="BulkEventKind.Rejected"/>).</param>
public sealed record BulkEvent(
    BulkEventKind Kind,
    BulkJob? Job,
    BulkNotSubmitted? NotSubmitted = null
)
{
    /// <summary>For <see cref="BulkEventKind.Finished"/>: how many per-item errors the job reported.</summary>
    public int ItemErrors { get; init; }
}
