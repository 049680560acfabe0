using System.Text.Json;

namespace Klaviyo;

/// <summary>
/// How a bulk pipeline splits items into jobs and waits for them. Immutable; copy with <c>with</c>.
/// </summary>
/// <example><code>
/// var options = BulkOptions.Default with
/// {
///     // Subscribe to a list: the job's relationships, written into every job.
///     Relationships = JsonDocument.Parse("""{"list":{"data":{"type":"list","id":"Y6nRLr"}}}""").RootElement,
///     Polling = BulkPolling.Default with { MaxDelay = TimeSpan.FromSeconds(10) },
/// };
/// </code></example>
public sealed record BulkOptions
{
    /// <summary>The defaults: the catalog's limits, <see cref="BulkPolling.Default"/>, four jobs in flight.</summary>
    public static readonly BulkOptions Default = new();

    /// <summary>Items per job, when lower than the operation's limit (<see cref="BulkJobEntry.ItemLimit"/>); a higher value is ignored.</summary>
    public int? MaxItems { get; init; }

    /// <summary>Encoded bytes per job, when lower than the operation's limit (<see cref="BulkJobEntry.ByteLimit"/>); a higher value is ignored.</summary>
    public long? MaxBytes { get; init; }

    /// <summary>
    /// More attributes of every job (a JSON object), e.g. <c>{"historical_import": true}</c> for a bulk subscribe;
    /// the items' own attribute is never taken from here.
    /// </summary>
    public JsonElement? Attributes { get; init; }

    /// <summary>Relationships of every job (a JSON object), e.g. the list of a bulk subscribe or import.</summary>
    public JsonElement? Relationships { get; init; }

    /// <summary>How jobs are polled until they are done.</summary>
    public BulkPolling Polling { get; init; } = BulkPolling.Default;

    /// <summary>
    /// How many jobs are created, polled and read at once (at least 1; 4 by default). Every request still goes
    /// through the options' chain, so a rate limiter paces them all.
    /// </summary>
    public int MaxJobsInFlight { get; init; } = 4;

    /// <summary>
    /// Whether every job is sent without its body being checked against the spec's request schema first, as
    /// <see cref="RequestBodyChecks.WithoutBodyCheck{T}"/> does for one call: for items that use members or values
    /// newer than the spec revision this library was generated from. <c>false</c> by default: a job whose body the
    /// check refuses is not sent, and the error names the JSON path (<c>data.attributes.profiles.data[3].type</c>).
    /// </summary>
    public bool SkipBodyCheck { get; init; }

    /// <summary>The items per job for <paramref name="job"/>: the lower of the operation's and <see cref="MaxItems"/>.</summary>
    /// <param name="job">The operation.</param>
    public int ItemLimit(BulkJobEntry job) =>
        Math.Max(1, Math.Min(job.ItemLimit, MaxItems ?? int.MaxValue));

    /// <summary>The bytes per job for <paramref name="job"/>: the lower of the operation's and <see cref="MaxBytes"/>.</summary>
    /// <param name="job">The operation.</param>
    public long ByteLimit(BulkJobEntry job) => Math.Min(job.ByteLimit, MaxBytes ?? long.MaxValue);
}

/// <summary>
/// Polling a job with exponential backoff: the first poll <see cref="InitialDelay"/> after the job was created, each
/// next one <see cref="Factor"/> times later, never more than <see cref="MaxDelay"/> apart, until the job is done or
/// the waits add up to <see cref="MaxWait"/> (the job is then reported unfinished; a journal lets a later run poll it
/// again). The waits are <see cref="Operation.Wait"/> steps: on <see cref="ClientOptions.TimeProvider"/>, none in a
/// dry run.
/// </summary>
/// <param name="InitialDelay">The wait before the first poll.</param>
/// <param name="Factor">How much each wait grows; 1 (or less) keeps it constant.</param>
/// <param name="MaxDelay">The longest wait between two polls.</param>
/// <param name="MaxWait">The most time spent waiting for one job, in all.</param>
public sealed record BulkPolling(
    TimeSpan InitialDelay,
    double Factor,
    TimeSpan MaxDelay,
    TimeSpan MaxWait
)
{
    /// <summary>1 s, doubling, at most 30 s apart, for at most an hour per job.</summary>
    public static readonly BulkPolling Default = new(
        TimeSpan.FromSeconds(1),
        2,
        TimeSpan.FromSeconds(30),
        TimeSpan.FromHours(1)
    );

    /// <summary>The wait before poll number <paramref name="poll"/> (0 for the first): <c>min(InitialDelay × Factor^poll, MaxDelay)</c>.</summary>
    /// <param name="poll">How many polls came before.</param>
    public TimeSpan Delay(int poll)
    {
        var initial = Math.Max(0, InitialDelay.Ticks);
        var cap = Math.Max(0, MaxDelay.Ticks);
        var factor = Factor >= 1 ? Factor : 1; // also when NaN
        var ticks = initial * Math.Pow(factor, Math.Max(0, poll));
        return TimeSpan.FromTicks(ticks >= cap ? cap : (long)ticks);
    }
}
