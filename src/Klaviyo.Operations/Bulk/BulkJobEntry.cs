using LanguageExt;

namespace Klaviyo;

/// <summary>
/// What the spec says about one operation that creates an asynchronous job for a batch of items (generated into
/// <see cref="OperationCatalog.BulkJobs"/>): where the items go in the body, the limits per job stated in the operation's
/// description, and the operations that read the job back and list its per-item errors.
/// </summary>
/// <param name="OperationId">The operation creating the job, e.g. <c>bulk_import_profiles</c>.</param>
/// <param name="JobType">The job's JSON:API type, the body's <c>data.type</c>, e.g. <c>profile-bulk-import-job</c>.</param>
/// <param name="ItemsPath">Where the items go in the body, dotted: <c>data.attributes.profiles.data</c>.</param>
/// <param name="ItemType">The items' JSON:API type, e.g. <c>profile</c>, when the spec names one.</param>
/// <param name="SingleItem">Whether the body holds one item (an object) rather than a list, as a data-privacy deletion does.</param>
/// <param name="MaxItems">Items per job as the description states them (1 for a single item); <c>null</c> when it states none.</param>
/// <param name="MaxBytes">Bytes per job (the encoded body) as the description states them, read in decimal units (5MB = 5,000,000); <c>null</c> when it states none.</param>
/// <param name="MaxItemBytes">Bytes per item as the description states them; <c>null</c> when it states none.</param>
/// <param name="PollOperationId">The operation reading one job (its status and counts); <c>null</c> when the job cannot be read back (Klaviyo answers 202 with no job).</param>
/// <param name="ErrorsOperationId">The operation listing a job's per-item errors, paginated; <c>null</c> when there is none.</param>
/// <param name="InlineErrors">Whether the job resource carries its errors in its <c>errors</c> attribute.</param>
public sealed record BulkJobEntry(
    string OperationId,
    string JobType,
    string ItemsPath,
    string? ItemType,
    bool SingleItem,
    int? MaxItems,
    long? MaxBytes,
    long? MaxItemBytes,
    string? PollOperationId,
    string? ErrorsOperationId,
    bool InlineErrors
)
{
    /// <summary>
    /// Items per job when the spec states no limit: 100, the smallest count any bulk operation documents.
    /// </summary>
    public const int DefaultMaxItems = 100;

    /// <summary>
    /// Bytes per job when the spec states no limit: 4,000,000, the smallest payload size any bulk operation
    /// documents (4MB).
    /// </summary>
    public const long DefaultMaxBytes = 4_000_000;

    /// <summary>The items per job the pipeline keeps to: <see cref="MaxItems"/>, else <see cref="DefaultMaxItems"/>.</summary>
    public int ItemLimit => MaxItems ?? DefaultMaxItems;

    /// <summary>The bytes per job the pipeline keeps to: <see cref="MaxBytes"/>, else <see cref="DefaultMaxBytes"/>.</summary>
    public long ByteLimit => MaxBytes ?? DefaultMaxBytes;
}

public static partial class OperationCatalog
{
    /// <summary>
    /// Every operation that creates a bulk job, in spec order, with its limits per job (see <see cref="BulkJobEntry"/>).
    /// </summary>
    public static IReadOnlyList<BulkJobEntry> BulkJobs => GeneratedBulkJobs;

    /// <summary>The bulk-job entry for an operationId or one of its aliases (<c>bulk_import_profiles</c>, <c>spawn_bulk_profile_import_job</c>).</summary>
    /// <param name="operationIdOrAlias">The operationId or alias.</param>
    public static Option<BulkJobEntry> FindBulkJob(string operationIdOrAlias) =>
        Find(operationIdOrAlias)
            .Bind(entry =>
                GeneratedBulkJobs.FirstOrDefault(j => j.OperationId == entry.OperationId) is { } job
                    ? Option<BulkJobEntry>.Some(job)
                    : Option<BulkJobEntry>.None
            );
}
