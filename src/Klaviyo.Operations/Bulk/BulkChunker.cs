using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// Splits items, one at a time, into jobs within an operation's limits: at most <see cref="BulkOptions.ItemLimit"/>
/// items and <see cref="BulkOptions.ByteLimit"/> encoded bytes per job, each item within the per-item limit. Sizes
/// are measured, not guessed: each item is encoded with the options' JSON codec, and each finished job's whole body
/// is encoded again and split further if it is still too large. An item too large for any job is not sent (see
/// <see cref="Rejected"/>); it also ends the job being filled, so every job is a contiguous run of the input. Pure
/// (no I/O); not thread-safe. The same items and options always give the same jobs.
/// </summary>
/// <example><code>
/// var job = OperationCatalog.FindBulkJob("bulk_import_profiles").IfNone(() => throw new InvalidOperationException());
/// var chunker = new BulkChunker(job);
/// var chunks = new List&lt;BulkChunk&gt;();
/// foreach (var item in items)
///     chunks.AddRange(chunker.Add(item));
/// chunks.AddRange(chunker.Complete());
/// </code></example>
public sealed class BulkChunker
{
    private readonly BulkJobEntry _job;
    private readonly BulkOptions _options;
    private readonly IJsonCodec _codec;
    private readonly int _itemLimit;
    private readonly long _byteLimit;
    private readonly long _envelope;
    private readonly List<JsonElement> _items = [];
    private long _itemBytes;
    private int _first;
    private int _seen;
    private int _chunks;
    private Seq<BulkNotSubmitted> _rejected = Seq<BulkNotSubmitted>();

    /// <summary>Starts splitting items for <paramref name="job"/>.</summary>
    /// <param name="job">The operation (from <see cref="OperationCatalog.BulkJobs"/>).</param>
    /// <param name="options">Limits and extra job members; <see cref="BulkOptions.Default"/> when <c>null</c>.</param>
    /// <param name="codec">The codec the requests will be encoded with (<see cref="KlaviyoOptions.JsonCodec"/>); the default codec when <c>null</c>.</param>
    /// <exception cref="ArgumentException">The options' extra attributes or relationships are not JSON objects.</exception>
    public BulkChunker(BulkJobEntry job, BulkOptions? options = null, IJsonCodec? codec = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        _job = job;
        _options = options ?? BulkOptions.Default;
        BulkBody.Check(_options);
        _codec = codec ?? SystemTextJsonCodec.Default;
        _itemLimit = job.SingleItem ? 1 : _options.ItemLimit(job);
        _byteLimit = _options.ByteLimit(job);
        // The body with no items; each item adds its own bytes and a comma (a single item replaces the "[]").
        _envelope = BulkBody.Write(job, _options, []).LongLength - (job.SingleItem ? 2 : 0);
    }

    /// <summary>How many items were given so far.</summary>
    public int Items => _seen;

    /// <summary>The items that will not be sent, so far: too large for any job, or not a JSON object.</summary>
    public Seq<BulkNotSubmitted> Rejected => _rejected;

    /// <summary>
    /// Adds the next item; returns the jobs this finished (none while the current one still has room).
    /// </summary>
    /// <param name="item">The item: a JSON:API resource object, e.g. <c>{"type":"profile","attributes":{…}}</c>.</param>
    public Seq<BulkChunk> Add(JsonElement item)
    {
        var index = _seen++;
        var done = Seq<BulkChunk>();
        string? problem = null;
        long size = 0;
        if (item.ValueKind != JsonValueKind.Object)
            problem = $"an item must be a JSON object, not {item.ValueKind}";
        else
        {
            size = _codec.Encode(item).LongLength;
            if (_job.MaxItemBytes is { } most && size > most)
                problem =
                    $"the item is {size} bytes encoded; {_job.OperationId} takes at most {most} per item";
            else if (_envelope + size > _byteLimit)
                problem =
                    $"the item is {size} bytes encoded; with the job around it that is more than the {_byteLimit} bytes a job may have";
        }
        if (problem is not null)
        {
            // Finish the job being filled so that every job stays a contiguous run of the input.
            done += Finish();
            _rejected = _rejected.Add(new BulkNotSubmitted(index, 1, problem));
            return done;
        }
        if (
            _items.Count > 0
            && (
                _items.Count >= _itemLimit
                || _envelope + _itemBytes + _items.Count + size > _byteLimit
            )
        )
            done += Finish();
        if (_items.Count == 0)
            _first = index;
        _items.Add(item);
        _itemBytes += size;
        if (_items.Count >= _itemLimit)
            done += Finish();
        return done;
    }

    /// <summary>Finishes the last job; call it once after the last item.</summary>
    public Seq<BulkChunk> Complete() => Finish();

    private Seq<BulkChunk> Finish()
    {
        if (_items.Count == 0)
            return Seq<BulkChunk>();
        var items = _items.ToArray();
        _items.Clear();
        _itemBytes = 0;
        return Build(_first, items);
    }

    // Measures the whole body as the codec encodes it; a body still too large (a codec that indents, say) is halved.
    private Seq<BulkChunk> Build(int first, JsonElement[] items)
    {
        var written = BulkBody.Write(_job, _options, items);
        var body = JsonDocument.Parse(written).RootElement;
        var encoded = _codec.Encode(body);
        if (encoded.LongLength > _byteLimit)
        {
            if (items.Length == 1)
            {
                _rejected = _rejected.Add(
                    new BulkNotSubmitted(
                        first,
                        1,
                        $"the job for this item alone is {encoded.LongLength} bytes encoded, more than {_byteLimit}"
                    )
                );
                return Seq<BulkChunk>();
            }
            var half = items.Length / 2;
            return Build(first, items[..half]) + Build(first + half, items[half..]);
        }
        return Seq1(
            new BulkChunk(
                _chunks++,
                first,
                toSeq(items),
                body,
                encoded.LongLength,
                BulkBody.Fingerprint(encoded)
            )
        );
    }
}
