using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// Klaviyo's bulk jobs as <see cref="Operation{A}"/> programs: split items into jobs within the operation's limits
/// (<see cref="OperationCatalog.BulkJobs"/>), create each job, poll it with backoff until it is done, read its per-item errors,
/// and sum it all up in a <see cref="BulkSummary"/>. Pure: every request goes through the interpreter and the
/// options' chain (rate limiting, retries) when the program runs, and every wait is an <see cref="Operation.Wait"/>
/// step, so a pipeline runs live, dry (no waits), from a fixture or on a stub. For a stream of items and a journal
/// that lets a crashed run resume, see <c>BulkPipeline</c> in Klaviyo.Interpreters.
/// </summary>
/// <example><code>
/// var profiles = new[]
/// {
///     JsonDocument.Parse("""{"type":"profile","attributes":{"email":"ada@example.com"}}""").RootElement,
///     JsonDocument.Parse("""{"type":"profile","attributes":{"email":"alan@example.com"}}""").RootElement,
/// };
/// Operation&lt;BulkSummary&gt; import = Bulk.Jobs("bulk_import_profiles", profiles);
/// Either&lt;KlaviyoError, BulkSummary&gt; summary = await import.RunAsync(options);
/// </code></example>
public static class Bulk
{
    /// <summary>
    /// The whole pipeline for <paramref name="items"/>: split into jobs, create them (at most
    /// <see cref="BulkOptions.MaxJobsInFlight"/> at a time), wait for each, read its errors. Items too large for a job
    /// are reported in <see cref="BulkSummary.NotSubmitted"/>; the first error (a job Klaviyo refuses included)
    /// stops the program, as in every program. Every job's body is built before the first is sent, so for a large
    /// input (or a stream) prefer <c>BulkPipeline.RunAsync</c>, which builds and sends them one at a time.
    /// </summary>
    /// <param name="operationId">A bulk operation (<see cref="OperationCatalog.BulkJobs"/>) or its alias, e.g. <c>bulk_import_profiles</c>.</param>
    /// <param name="items">The items, each a JSON:API resource object; enumerated when the program runs, once per run.</param>
    /// <param name="options">Limits, extra job members, polling; <see cref="BulkOptions.Default"/> when <c>null</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="operationId"/> is not a bulk operation, or the options are invalid.</exception>
    public static Operation<BulkSummary> Jobs(
        string operationId,
        IEnumerable<JsonElement> items,
        BulkOptions? options = null
    ) => Jobs(Find(operationId), items, options);

    /// <summary>The whole pipeline for items given as <see cref="JsonNode"/>s (see <see cref="Jobs(string, IEnumerable{JsonElement}, BulkOptions)"/>).</summary>
    /// <param name="operationId">A bulk operation or its alias.</param>
    /// <param name="items">The items, each a JSON object; enumerated when the program runs.</param>
    /// <param name="options">Limits, extra job members, polling.</param>
    public static Operation<BulkSummary> Jobs(
        string operationId,
        IEnumerable<JsonNode> items,
        BulkOptions? options = null
    )
    {
        ArgumentNullException.ThrowIfNull(items);
        return Jobs(Find(operationId), items.Select(Element), options);
    }

    /// <summary>
    /// The whole pipeline for typed items, each encoded with <paramref name="typeInfo"/> (System.Text.Json
    /// source-generated metadata) into a JSON:API resource object (see <see cref="Jobs(string, IEnumerable{JsonElement}, BulkOptions)"/>).
    /// </summary>
    /// <typeparam name="T">The items' type.</typeparam>
    /// <param name="operationId">A bulk operation or its alias.</param>
    /// <param name="items">The items; enumerated when the program runs.</param>
    /// <param name="typeInfo">Their JSON metadata, e.g. <c>MyContext.Default.ProfileResource</c>.</param>
    /// <param name="options">Limits, extra job members, polling.</param>
    public static Operation<BulkSummary> Jobs<T>(
        string operationId,
        IEnumerable<T> items,
        JsonTypeInfo<T> typeInfo,
        BulkOptions? options = null
    )
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(typeInfo);
        return Jobs(
            Find(operationId),
            items.Select(i => JsonSerializer.SerializeToElement(i, typeInfo)),
            options
        );
    }

    /// <summary>The whole pipeline for <paramref name="items"/> (see <see cref="Jobs(string, IEnumerable{JsonElement}, BulkOptions)"/>).</summary>
    /// <param name="job">The bulk operation.</param>
    /// <param name="items">The items; enumerated when the program runs.</param>
    /// <param name="options">Limits, extra job members, polling.</param>
    public static Operation<BulkSummary> Jobs(
        BulkJobEntry job,
        IEnumerable<JsonElement> items,
        BulkOptions? options = null
    )
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(items);
        var bulk = options ?? BulkOptions.Default;
        BulkBody.Check(bulk);
        BulkBody.Place(job);
        return Operation
            .Options()
            .Bind(run =>
            {
                var chunker = new BulkChunker(job, bulk, run.JsonCodec);
                var chunks = new List<BulkChunk>();
                foreach (var item in items)
                    chunks.AddRange(chunker.Add(item));
                chunks.AddRange(chunker.Complete());
                return Operation
                    .Parallel(chunks.Select(c => Process(job, c, bulk)), bulk.MaxJobsInFlight)
                    .Map(done => new BulkSummary(
                        job.OperationId,
                        done.Map(d => d.Job),
                        done.Bind(d => d.Errors),
                        chunker.Rejected
                    ));
            });
    }

    /// <summary>Creates the job for <paramref name="chunk"/>: one request, yielding the job as Klaviyo answered.</summary>
    /// <param name="job">The bulk operation.</param>
    /// <param name="chunk">The items and their request document (from <see cref="BulkChunker"/>).</param>
    /// <param name="options">Whether the body is checked before sending (<see cref="BulkOptions.SkipBodyCheck"/>); checked when <c>null</c>.</param>
    public static Operation<BulkJob> Submit(
        BulkJobEntry job,
        BulkChunk chunk,
        BulkOptions? options = null
    )
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(chunk);
        var entry = Entry(job.OperationId);
        var create = Generated
            .Operation(entry.OperationId, entry.Method, entry.PathTemplate)
            .WithBody(RequestBody.Json(chunk.Body));
        if (options is { SkipBodyCheck: true })
            create = create.WithoutBodyCheck();
        return Operation.Send(create).Bind(r => BulkResponses.Created(job, chunk, r));
    }

    /// <summary>
    /// One poll: waits <see cref="BulkPolling.Delay"/> for the job's next poll, then reads the job. A job that cannot
    /// be read back (no id, or an operation without a poll) is yielded as it is.
    /// </summary>
    /// <param name="job">The bulk operation.</param>
    /// <param name="current">The job as last seen.</param>
    /// <param name="polling">The backoff; <see cref="BulkPolling.Default"/> when <c>null</c>.</param>
    public static Operation<BulkJob> Poll(
        BulkJobEntry job,
        BulkJob current,
        BulkPolling? polling = null
    )
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(current);
        if (job.PollOperationId is null || current.Id is null)
            return Operation.Pure(current);
        var delay = (polling ?? BulkPolling.Default).Delay(current.Polls);
        var entry = Entry(job.PollOperationId);
        var read = Generated.Operation(
            entry.OperationId,
            entry.Method,
            entry.PathTemplate,
            current.Id
        );
        return Operation
            .Wait(delay)
            .Bind(_ => Operation.Send(read))
            .Map(r =>
                BulkResponses.Polled(current, r) with
                {
                    Polls = current.Polls + 1,
                    Waited = current.Waited + delay,
                }
            );
    }

    /// <summary>
    /// Polls the job (see <see cref="Poll"/>) until it is finished, or until waiting once more would pass
    /// <see cref="BulkPolling.MaxWait"/>; yields the job as last seen.
    /// </summary>
    /// <param name="job">The bulk operation.</param>
    /// <param name="current">The job as last seen.</param>
    /// <param name="polling">The backoff; <see cref="BulkPolling.Default"/> when <c>null</c>.</param>
    public static Operation<BulkJob> Await(
        BulkJobEntry job,
        BulkJob current,
        BulkPolling? polling = null
    )
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(current);
        var backoff = polling ?? BulkPolling.Default;
        return ShouldPoll(job, current, backoff)
            ? Poll(job, current, backoff).Bind(next => Await(job, next, backoff))
            : Operation.Pure(current);
    }

    /// <summary>
    /// Whether <see cref="Await"/> would poll <paramref name="current"/> again: it is not finished, it can be read
    /// back, and one more wait stays within <see cref="BulkPolling.MaxWait"/>.
    /// </summary>
    /// <param name="job">The bulk operation.</param>
    /// <param name="current">The job as last seen.</param>
    /// <param name="polling">The backoff.</param>
    public static bool ShouldPoll(BulkJobEntry job, BulkJob current, BulkPolling polling)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(polling);
        return !current.IsFinished
            && job.PollOperationId is not null
            && current.Id is not null
            && current.Waited + polling.Delay(current.Polls) <= polling.MaxWait;
    }

    /// <summary>
    /// The per-item errors of a finished job: those the job resource carries (<see cref="BulkJobEntry.InlineErrors"/>), then those its errors operation lists
    /// (every page; read only when the job reports failures or does not say), each with the input index of the item
    /// it is about when Klaviyo's pointer or quoted payload tells.
    /// </summary>
    /// <param name="job">The bulk operation.</param>
    /// <param name="chunk">The job's items (to tell which item an error is about).</param>
    /// <param name="finished">The job, finished.</param>
    public static Operation<Seq<BulkItemError>> Errors(
        BulkJobEntry job,
        BulkChunk chunk,
        BulkJob finished
    )
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(chunk);
        ArgumentNullException.ThrowIfNull(finished);
        var carried = job.InlineErrors ? finished.JobErrors : Seq<KlaviyoApiError>();
        var inline = carried.Map(e => new BulkItemError(
            BulkResponses.ItemOf(job, chunk, e, null),
            finished.Id,
            e
        ));
        var listed =
            job.ErrorsOperationId is { } errorsId
            && finished.Id is { } id
            && finished.IsFinished
            && finished.Failed is null or > 0;
        if (!listed)
            return Operation.Pure(inline);
        var entry = Entry(job.ErrorsOperationId!);
        var first = Generated.Operation(
            entry.OperationId,
            entry.Method,
            entry.PathTemplate,
            finished.Id
        );
        // The largest page the operation allows: fewer requests against its rate limit.
        var pageSize = entry
            .QueryParameters.Find(q => q.Name == "page[size]")
            .Bind(q => Optional(q.Maximum));
        first = pageSize.Match(
            size =>
                first.WithQuery(
                    "page[size]",
                    size.ToString(System.Globalization.CultureInfo.InvariantCulture)
                ),
            () => first
        );
        return first
            .AllResources()
            .Map(resources =>
                inline
                + resources.Map(resource =>
                {
                    var (error, payload) = BulkResponses.ImportError(resource);
                    return new BulkItemError(
                        BulkResponses.ItemOf(job, chunk, error, payload),
                        finished.Id,
                        error
                    );
                })
            );
    }

    /// <summary>One chunk's whole life: create, wait, read errors.</summary>
    private static Operation<(BulkJob Job, Seq<BulkItemError> Errors)> Process(
        BulkJobEntry job,
        BulkChunk chunk,
        BulkOptions options
    ) =>
        from created in Submit(job, chunk, options)
        from done in Await(job, created, options.Polling)
        from errors in done.IsFinished
            ? Errors(job, chunk, done)
            : Operation.Pure(Seq<BulkItemError>())
        select (done, errors);

    private static BulkJobEntry Find(string operationId)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        return OperationCatalog
            .FindBulkJob(operationId)
            .IfNone(() =>
                throw new ArgumentException(
                    $"'{operationId}' is not a bulk-job operation; OperationCatalog.BulkJobs lists them: {string.Join(", ", OperationCatalog.BulkJobs.Select(j => j.OperationId))}",
                    nameof(operationId)
                )
            );
    }

    private static CatalogEntry Entry(string operationId) =>
        OperationCatalog
            .Find(operationId)
            .IfNone(() =>
                throw new InvalidOperationException($"{operationId} is not in the catalog")
            );

    private static JsonElement Element(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
            node.WriteTo(writer);
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement;
    }
}
