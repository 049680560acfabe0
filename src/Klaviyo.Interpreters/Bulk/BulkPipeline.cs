using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// Runs a bulk pipeline over a stream of items, job by job: reads the stream only as fast as jobs are created,
/// splits it with a <see cref="BulkChunker"/>, and runs each job's <see cref="Bulk"/> operations (create, poll with
/// backoff, read errors) on the options' interpreter and chain — at most <see cref="BulkOptions.MaxJobsInFlight"/>
/// jobs at once. With a journal (<see cref="BulkJournal.File"/>) it records each job when it is created and when it
/// is done, so a run that stopped midway resumes without creating those jobs again.
/// </summary>
/// <remarks>
/// Unlike a single program, one refused job does not stop the pipeline: when Klaviyo answers a create with 400, 413
/// or 422, the job's items are reported in <see cref="BulkSummary.NotSubmitted"/> and the others go on. Any other
/// failure (transport, timeout, 401/403, 429 or 5xx after the options' retries, cancellation, a journal that does not
/// match the input) stops it: no new job is started, the jobs in flight are cancelled, and the summary says why in
/// <see cref="BulkSummary.Stopped"/>. Never throws for a failed call; an exception from the item stream or the
/// journal propagates.
/// </remarks>
public static class BulkPipeline
{
    /// <summary>Runs the pipeline for <paramref name="items"/>; see <see cref="BulkPipeline"/>.</summary>
    /// <example><code>
    /// var journal = BulkJournal.File("profiles.journal.json");
    /// BulkSummary summary = await BulkPipeline.RunAsync(
    ///     "bulk_import_profiles", ReadProfilesAsync(), options, journal: journal,
    ///     onEvent: e => Console.Error.WriteLine($"{e.Kind}: {e.Job}"));
    /// </code></example>
    /// <param name="operationId">A bulk operation (<see cref="OperationCatalog.BulkJobs"/>) or its alias.</param>
    /// <param name="items">The items, each a JSON:API resource object.</param>
    /// <param name="options">Who calls and how; <see cref="KlaviyoOptions.Default"/> when <c>null</c>.</param>
    /// <param name="bulk">Limits, extra job members, polling, jobs in flight.</param>
    /// <param name="journal">Where jobs are recorded, to resume; none when <c>null</c>.</param>
    /// <param name="onEvent">Told of every job event, one at a time (progress).</param>
    /// <param name="cancellationToken">Stops the pipeline; the journal keeps what was done.</param>
    /// <exception cref="ArgumentException"><paramref name="operationId"/> is not a bulk operation, or <paramref name="bulk"/> is invalid.</exception>
    /// <exception cref="InvalidDataException">The journal file is not a journal.</exception>
    public static Task<BulkSummary> RunAsync(
        string operationId,
        IAsyncEnumerable<JsonElement> items,
        KlaviyoOptions? options = null,
        BulkOptions? bulk = null,
        IBulkJournal? journal = null,
        Action<BulkEvent>? onEvent = null,
        CancellationToken cancellationToken = default
    ) => RunAsync(Find(operationId), items, options, bulk, journal, onEvent, cancellationToken);

    /// <summary>
    /// Runs the pipeline for typed items, each encoded with <paramref name="typeInfo"/> into a JSON:API resource
    /// object; see <see cref="BulkPipeline"/>.
    /// </summary>
    /// <typeparam name="T">The items' type.</typeparam>
    /// <param name="operationId">A bulk operation or its alias.</param>
    /// <param name="items">The items.</param>
    /// <param name="typeInfo">Their JSON metadata (System.Text.Json source generation).</param>
    /// <param name="options">Who calls and how.</param>
    /// <param name="bulk">Limits, extra job members, polling, jobs in flight.</param>
    /// <param name="journal">Where jobs are recorded, to resume.</param>
    /// <param name="onEvent">Told of every job event, one at a time.</param>
    /// <param name="cancellationToken">Stops the pipeline.</param>
    public static Task<BulkSummary> RunAsync<T>(
        string operationId,
        IAsyncEnumerable<T> items,
        JsonTypeInfo<T> typeInfo,
        KlaviyoOptions? options = null,
        BulkOptions? bulk = null,
        IBulkJournal? journal = null,
        Action<BulkEvent>? onEvent = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(typeInfo);
        return RunAsync(
            Find(operationId),
            Encode(items, typeInfo),
            options,
            bulk,
            journal,
            onEvent,
            cancellationToken
        );
    }

    /// <summary>Runs the pipeline for <paramref name="items"/> with a catalog entry; see <see cref="BulkPipeline"/>.</summary>
    /// <param name="job">The bulk operation.</param>
    /// <param name="items">The items.</param>
    /// <param name="options">Who calls and how.</param>
    /// <param name="bulk">Limits, extra job members, polling, jobs in flight.</param>
    /// <param name="journal">Where jobs are recorded, to resume.</param>
    /// <param name="onEvent">Told of every job event, one at a time.</param>
    /// <param name="cancellationToken">Stops the pipeline.</param>
    public static async Task<BulkSummary> RunAsync(
        BulkJobEntry job,
        IAsyncEnumerable<JsonElement> items,
        KlaviyoOptions? options = null,
        BulkOptions? bulk = null,
        IBulkJournal? journal = null,
        Action<BulkEvent>? onEvent = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(items);
        // Checks the options now: a bad one is the caller's mistake, not a failed call.
        var chunker = new BulkChunker(job, bulk, (options ?? KlaviyoOptions.Default).JsonCodec);
        var run = new PipelineRun(
            job,
            options ?? KlaviyoOptions.Default,
            bulk ?? BulkOptions.Default,
            journal,
            onEvent,
            cancellationToken
        );
        return await run.RunAsync(chunker, items).ConfigureAwait(false);
    }

    private static BulkJobEntry Find(string operationId)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        return OperationCatalog
            .FindBulkJob(operationId)
            .IfNone(() =>
                throw new ArgumentException(
                    $"'{operationId}' is not a bulk-job operation; OperationCatalog.BulkJobs lists them",
                    nameof(operationId)
                )
            );
    }

    private static async IAsyncEnumerable<JsonElement> Encode<T>(
        IAsyncEnumerable<T> items,
        JsonTypeInfo<T> typeInfo,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        await foreach (var item in items.WithCancellation(cancellationToken).ConfigureAwait(false))
            yield return JsonSerializer.SerializeToElement(item, typeInfo);
    }

    /// <summary>One run: its state, shared by the job tasks under a lock.</summary>
    private sealed class PipelineRun(
        BulkJobEntry job,
        KlaviyoOptions options,
        BulkOptions bulk,
        IBulkJournal? journal,
        Action<BulkEvent>? onEvent,
        CancellationToken cancellationToken
    )
    {
        private readonly object _gate = new();
        private readonly object _events = new();
        private readonly SemaphoreSlim _saving = new(1, 1);
        private readonly Dictionary<int, (BulkJob Job, Seq<BulkItemError> Errors)> _done = [];
        private readonly List<BulkNotSubmitted> _notSubmitted = [];
        private readonly CancellationTokenSource _halt =
            CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        private BulkJournalState _journal = BulkJournalState.Empty;
        private KlaviyoError? _stopped;
        private ExceptionDispatchInfo? _crash;

        private bool Stopped
        {
            get
            {
                lock (_gate)
                    return _stopped is not null || _crash is not null;
            }
        }

        public async Task<BulkSummary> RunAsync(
            BulkChunker chunker,
            IAsyncEnumerable<JsonElement> items
        )
        {
            using var halt = _halt;
            if (journal is not null)
            {
                _journal = await journal.LoadAsync(cancellationToken).ConfigureAwait(false);
                if (_journal.OperationId is { } recorded && recorded != job.OperationId)
                    return Summary(
                        new KlaviyoError.Validation(
                            Seq1(
                                $"the journal is for {recorded}, not {job.OperationId}; give another journal"
                            )
                        )
                        {
                            Attempts = 0,
                        }
                    );
                _journal = _journal with { OperationId = job.OperationId };
            }

            using var slots = new SemaphoreSlim(bulk.MaxJobsInFlight);
            var running = new List<Task>();
            var rejectedSeen = 0;
            var nextUnread = 0;
            var ended = false;

            void Rejections()
            {
                foreach (var rejected in chunker.Rejected.Skip(rejectedSeen))
                {
                    rejectedSeen++;
                    nextUnread = Math.Max(nextUnread, rejected.FirstItem + 1);
                    lock (_gate)
                        _notSubmitted.Add(rejected);
                    Emit(new BulkEvent(BulkEventKind.Rejected, null, rejected));
                }
            }

            async Task Start(Seq<BulkChunk> chunks)
            {
                foreach (var chunk in chunks)
                {
                    nextUnread = Math.Max(nextUnread, chunk.FirstItem + chunk.Count);
                    var slot = false;
                    if (!Stopped)
                    {
                        try
                        {
                            await slots.WaitAsync(_halt.Token).ConfigureAwait(false);
                            slot = true;
                        }
                        catch (OperationCanceledException) { }
                    }
                    if (Stopped || _halt.IsCancellationRequested)
                    {
                        if (slot)
                            slots.Release();
                        if (cancellationToken.IsCancellationRequested)
                            Stop(new KlaviyoError.Cancelled { Attempts = 0 });
                        NotSubmitted(chunk, "not submitted: the pipeline stopped", null);
                        continue;
                    }
                    running.Add(Task.Run(() => Guarded(chunk, slots)));
                }
            }

            try
            {
                await foreach (
                    var item in items.WithCancellation(_halt.Token).ConfigureAwait(false)
                )
                {
                    if (Stopped)
                        break;
                    var finished = chunker.Add(item);
                    Rejections();
                    await Start(finished).ConfigureAwait(false);
                }
                if (!Stopped)
                {
                    var last = chunker.Complete();
                    Rejections();
                    await Start(last).ConfigureAwait(false);
                    ended = !Stopped || nextUnread >= chunker.Items;
                }
            }
            catch (OperationCanceledException) when (_halt.IsCancellationRequested)
            {
                if (cancellationToken.IsCancellationRequested)
                    Stop(new KlaviyoError.Cancelled { Attempts = 0 });
            }
            finally
            {
                await Task.WhenAll(running).ConfigureAwait(false);
            }
            _crash?.Throw();
            if (!ended && Stopped)
                lock (_gate)
                    _notSubmitted.Add(
                        new BulkNotSubmitted(
                            nextUnread,
                            null,
                            "not reached: the pipeline stopped before this item"
                        )
                    );
            return Summary(null);
        }

        private BulkSummary Summary(KlaviyoError? stoppedBeforeStart)
        {
            lock (_gate)
            {
                var done = _done.OrderBy(d => d.Key).Select(d => d.Value).ToArray();
                return new BulkSummary(
                    job.OperationId,
                    toSeq(done.Select(d => d.Job).ToArray()),
                    toSeq(done.SelectMany(d => d.Errors).ToArray()),
                    toSeq(_notSubmitted.OrderBy(n => n.FirstItem).ToArray())
                )
                {
                    Stopped = stoppedBeforeStart ?? _stopped,
                };
            }
        }

        private async Task Guarded(BulkChunk chunk, SemaphoreSlim slots)
        {
            try
            {
                await ChunkAsync(chunk).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                lock (_gate)
                    _crash ??= ExceptionDispatchInfo.Capture(e);
                _halt.Cancel();
            }
            finally
            {
                slots.Release();
            }
        }

        // One job's whole life; every failure is recorded, not thrown.
        private async Task ChunkAsync(BulkChunk chunk)
        {
            var token = _halt.Token;
            BulkJournalEntry? known;
            lock (_gate)
                known = _journal
                    .Jobs.Find(j => j.Chunk == chunk.Index)
                    .IfNoneUnsafe((BulkJournalEntry?)null);
            if (
                known is { } recorded
                && (
                    recorded.Fingerprint != chunk.Fingerprint
                    || recorded.FirstItem != chunk.FirstItem
                    || recorded.ItemCount != chunk.Count
                )
            )
            {
                Stop(
                    new KlaviyoError.Validation(
                        Seq1(
                            $"job {chunk.Index} (items {chunk.FirstItem}-{chunk.FirstItem + chunk.Count - 1}) is not the job the journal recorded: the items or the limits changed since; give a new journal"
                        )
                    )
                    {
                        Attempts = 0,
                    }
                );
                NotSubmitted(chunk, "not submitted: it does not match the journal", null);
                return;
            }

            BulkJob current;
            if (known is { } entry && (entry.IsFinished || entry.JobId is not null))
            {
                current = new BulkJob(
                    chunk.Index,
                    chunk.FirstItem,
                    chunk.Count,
                    entry.JobId,
                    entry.Status
                )
                {
                    Total = entry.Total,
                    Completed = entry.Completed,
                    Failed = entry.Failed,
                    Resumed = true,
                };
                Emit(new BulkEvent(BulkEventKind.Resumed, current));
                if (entry.IsFinished)
                {
                    Done(chunk, current, Seq<BulkItemError>());
                    return;
                }
            }
            else
            {
                var (failure, created) = Split(
                    await Bulk.Submit(job, chunk, bulk)
                        .RunAsync(options, token)
                        .ConfigureAwait(false)
                );
                if (failure is not null)
                {
                    if (Refused(failure))
                    {
                        var refused = NotSubmitted(
                            chunk,
                            "Klaviyo refused the job: " + failure.Message,
                            failure
                        );
                        Emit(new BulkEvent(BulkEventKind.Refused, null, refused));
                    }
                    else
                    {
                        Stop(failure);
                        NotSubmitted(chunk, "not submitted: " + failure.Message, failure);
                    }
                    return;
                }
                current = created!;
                await RecordAsync(chunk, current, 0).ConfigureAwait(false);
                Emit(new BulkEvent(BulkEventKind.Submitted, current));
            }

            while (Bulk.ShouldPoll(job, current, bulk.Polling))
            {
                var (failure, next) = Split(
                    await Bulk.Poll(job, current, bulk.Polling)
                        .RunAsync(options, token)
                        .ConfigureAwait(false)
                );
                if (failure is not null)
                {
                    Stop(failure);
                    Done(chunk, current, Seq<BulkItemError>());
                    return;
                }
                if (next!.Status != current.Status)
                    Emit(new BulkEvent(BulkEventKind.StatusChanged, next));
                current = next;
            }
            if (!current.IsFinished)
            {
                Emit(new BulkEvent(BulkEventKind.Unfinished, current));
                Done(chunk, current, Seq<BulkItemError>());
                return;
            }

            var (readFailure, read) = Split(
                (
                    await Bulk.Errors(job, chunk, current)
                        .RunAsync(options, token)
                        .ConfigureAwait(false)
                ).Map(errors => new Box<Seq<BulkItemError>>(errors))
            );
            if (readFailure is not null)
            {
                // Not recorded as finished: a resumed run polls the job and reads its errors again.
                Stop(readFailure);
                Done(chunk, current, Seq<BulkItemError>());
                return;
            }
            var errors = read!.Value;
            await RecordAsync(chunk, current, errors.Count).ConfigureAwait(false);
            Emit(new BulkEvent(BulkEventKind.Finished, current) { ItemErrors = errors.Count });
            Done(chunk, current, errors);
        }

        private static (KlaviyoError? Error, A? Value) Split<A>(Either<KlaviyoError, A> result)
            where A : class =>
            result.Match(value => ((KlaviyoError?)null, (A?)value), error => (error, null));

        private sealed record Box<A>(A Value);

        // A job Klaviyo will not take as it is; the rest of the input may be fine.
        private static bool Refused(KlaviyoError error) =>
            error is KlaviyoError.Api { Response.StatusCode: 400 or 413 or 422 };

        private void Stop(KlaviyoError error)
        {
            lock (_gate)
                _stopped ??= error;
            _halt.Cancel();
        }

        private void Done(BulkChunk chunk, BulkJob current, Seq<BulkItemError> errors)
        {
            lock (_gate)
                _done[chunk.Index] = (current, errors);
        }

        private BulkNotSubmitted NotSubmitted(BulkChunk chunk, string reason, KlaviyoError? error)
        {
            var entry = new BulkNotSubmitted(chunk.FirstItem, chunk.Count, reason)
            {
                Error = error,
            };
            lock (_gate)
                _notSubmitted.Add(entry);
            return entry;
        }

        private void Emit(BulkEvent e)
        {
            if (onEvent is null)
                return;
            lock (_events)
                onEvent(e);
        }

        private async Task RecordAsync(BulkChunk chunk, BulkJob current, int itemErrors)
        {
            if (journal is null)
                return;
            BulkJournalState snapshot;
            lock (_gate)
            {
                _journal = _journal.With(
                    new BulkJournalEntry(
                        chunk.Index,
                        chunk.FirstItem,
                        chunk.Count,
                        chunk.Fingerprint,
                        current.Id,
                        current.Status
                    )
                    {
                        Total = current.Total,
                        Completed = current.Completed,
                        Failed = current.Failed,
                        ItemErrors = itemErrors,
                    }
                );
                snapshot = _journal;
            }
            // Saved whole, one save at a time, never cancelled halfway: a created job must be recorded.
            await _saving.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                await journal.SaveAsync(snapshot, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                _saving.Release();
            }
        }
    }
}
