using System.Text;
using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// Answers requests from recorded interactions, with VCR's matching: method, path and query (query order does not
/// matter; the host is not compared), and with <see cref="FixtureOptions.MatchBody"/> the body too (JSON compared
/// by meaning). Repeated identical requests get the recorded answers in order. A request without an answer is a
/// <see cref="KlaviyoError.FixtureMiss"/> naming it and the nearest recorded ones. Safe to use from many tasks at
/// once; a miss never holds up a hit.
/// </summary>
public sealed class FixtureReplayer
{
    // How many recorded requests a miss compares by edit distance, at most: a miss stays fast in a large fixture.
    private const int NearestCandidates = 64;

    private readonly FixtureOptions _options;
    private readonly RedactionRules _rules;
    private readonly Dictionary<string, Bucket> _index;
    private readonly Dictionary<string, Bucket>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Lazy<Neighbours> _neighbours;

    // Where a miss looks for the nearest recorded requests; made on the first miss, so loading does not pay for it.
    private sealed class Neighbours
    {
        public Dictionary<string, List<string>> ByRoute { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, List<string>> ByCollection { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, List<string>> ByMethod { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Bucket(string display)
    {
        public string Display { get; } = display;

        // Each a RecordedResponse, or a FixtureFile.ReplayEntry read into one on its first play.
        public List<object> Answers { get; } = new(1);
        public int Next;

        // Each answer as replayed, made on its first play: replaying it again costs nothing.
        private Task<Either<KlaviyoError, RawResponse>>?[]? _replies;

        public Task<Either<KlaviyoError, RawResponse>> Reply(int index)
        {
            var replies = _replies ??= new Task<Either<KlaviyoError, RawResponse>>?[Answers.Count];
            return replies[index] ??= Task.FromResult(
                Right<KlaviyoError, RawResponse>(
                    (
                        Answers[index] as RecordedResponse
                        ?? FixtureFile.ReadResponse((FixtureFile.ReplayEntry)Answers[index])
                    ).ToRawResponse()
                )
            );
        }
    }

    /// <summary>A replayer answering from <paramref name="interactions"/>.</summary>
    /// <param name="interactions">The recorded interactions, in order.</param>
    /// <param name="options">Matching and filters, as used when recording; <see cref="FixtureOptions.Default"/> when <c>null</c>.</param>
    /// <param name="source">Where they came from (a file path), for messages.</param>
    public FixtureReplayer(
        IEnumerable<Interaction> interactions,
        FixtureOptions? options = null,
        string source = "(in memory)"
    )
        : this(options, source)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        foreach (var interaction in interactions)
        {
            var key = RequestKey.Of(interaction.Request);
            Add(
                key,
                _options.MatchBody ? key + "\n" + CanonicalBody.Of(interaction.Request.Body) : key,
                interaction.Response
            );
        }
    }

    // Entries of a file, matched without their bodies: their responses are read when first played.
    private FixtureReplayer(
        IReadOnlyList<FixtureFile.ReplayEntry> entries,
        FixtureOptions options,
        string source
    )
        : this(options, source)
    {
        _index.EnsureCapacity(entries.Count);
        foreach (var entry in entries)
        {
            var key = RequestKey.Of(entry.Method, entry.Url);
            Add(key, key, entry);
        }
    }

    private FixtureReplayer(FixtureOptions? options, string source)
    {
        _options = options ?? FixtureOptions.Default;
        _rules = _options.RedactionRules;
        Source = source;
        _index = new Dictionary<string, Bucket>(StringComparer.Ordinal);
        _lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();
        _neighbours = new Lazy<Neighbours>(MakeNeighbours);
    }

    private void Add(string key, string fullKey, object answer)
    {
        if (!_index.TryGetValue(fullKey, out var bucket))
            _index.Add(fullKey, bucket = new Bucket(key));
        bucket.Answers.Add(answer);
        Count++;
    }

    // The recorded requests in the order first recorded, as the index holds them (it is never changed after loading).
    private Neighbours MakeNeighbours()
    {
        var made = new Neighbours();
        foreach (var bucket in _index.Values)
        {
            var key = bucket.Display;
            AddDistinct(made.ByRoute, RequestKey.Route(key), key);
            AddDistinct(made.ByCollection, RequestKey.Collection(key), key);
            AddDistinct(made.ByMethod, RequestKey.Method(key), key);
        }
        return made;
    }

    /// <summary>
    /// Reads the fixture file <paramref name="path"/> and answers from it (temporary files a crashed save left behind
    /// are removed first).
    /// </summary>
    /// <param name="path">The fixture file.</param>
    /// <param name="options">Matching and filters, as used when recording.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a fixture this library can read.</exception>
    public static FixtureReplayer Load(string path, FixtureOptions? options = null)
    {
        var full = System.IO.Path.GetFullPath(path);
        FixtureStorage.RemoveOrphans(full);
        if (!File.Exists(full))
            throw new FileNotFoundException($"fixture '{full}' does not exist", full);
        var bytes = File.ReadAllBytes(full);
        return options is { MatchBody: true }
            ? new FixtureReplayer(FixtureFile.Read(bytes, full), options, full)
            : new FixtureReplayer(
                FixtureFile.ReadForReplay(bytes, full),
                options ?? FixtureOptions.Default,
                full
            );
    }

    /// <summary>Where the interactions came from.</summary>
    public string Source { get; }

    /// <summary>How many interactions it answers from.</summary>
    public int Count { get; private set; }

    /// <summary>The next recorded answer for <paramref name="request"/>, or a <see cref="KlaviyoError.FixtureMiss"/>.</summary>
    /// <param name="request">The request (unredacted: it is redacted with the fixture's rules before matching).</param>
    public Either<KlaviyoError, RawResponse> Play(KlaviyoRequest request) =>
        PlayAsync(request).Result;

    /// <summary>
    /// <see cref="Play"/> as a completed task: a known request costs its key (computed from the redacted path and
    /// query, without a redacted copy of the request or a string of the key) and one dictionary lookup, and an
    /// answer played before comes back as the same task.
    /// </summary>
    internal Task<Either<KlaviyoError, RawResponse>> PlayAsync(KlaviyoRequest request)
    {
        if (_options.MatchBody)
        {
            // The body is part of the key: redact the whole request (its content with it) as when recording.
            var safe = request.Redact(_rules);
            var route = RequestKey.Of(safe);
            var full = route + "\n" + CanonicalBody.Of(safe.Content);
            return _index.TryGetValue(full, out var withBody)
                ? Next(withBody, route)
                : Missed(route);
        }
        var (path, query) = request.RedactedTarget(_rules);
        var key = new RequestKey.Builder(stackalloc char[256]);
        try
        {
            RequestKey.Write(ref key, request.Method.Method, path, query);
            return _lookup.TryGetValue(key.Written, out var bucket)
                ? Next(bucket, null)
                : Missed(key.ToString());
        }
        finally
        {
            key.Dispose();
        }
    }

    private Task<Either<KlaviyoError, RawResponse>> Next(Bucket bucket, string? key)
    {
        var index = -1;
        lock (bucket)
        {
            if (bucket.Next < bucket.Answers.Count)
                index = bucket.Next++;
            else if (_options.AllowPlaybackRepeats)
                index = bucket.Answers.Count - 1;
        }
        if (index >= 0)
            return bucket.Reply(index);
        key ??= bucket.Display;
        return Task.FromResult<Either<KlaviyoError, RawResponse>>(
            Advised(
                new KlaviyoError.FixtureMiss(key, Seq1(key), Source)
                {
                    PlayedAll = bucket.Answers.Count,
                    Attempts = 0,
                }
            )
        );
    }

    private Task<Either<KlaviyoError, RawResponse>> Missed(string key) =>
        Task.FromResult<Either<KlaviyoError, RawResponse>>(
            Advised(new KlaviyoError.FixtureMiss(key, Nearest(key), Source) { Attempts = 0 })
        );

    private KlaviyoError.FixtureMiss Advised(KlaviyoError.FixtureMiss miss) =>
        _options.MissAdvice is { } advice ? miss with { Advice = advice } : miss;

    // The same route first (another query, or another body); else the closest of a bounded set of candidates of the
    // same collection, or of the same method: a miss costs the same in a fixture of ten or of ten thousand.
    private Seq<string> Nearest(string key)
    {
        if (_index.Count == 0)
            return default;
        var note = _options.MatchBody ? " (with another body)" : "";
        var neighbours = _neighbours.Value;
        if (neighbours.ByRoute.TryGetValue(RequestKey.Route(key), out var sameRoute))
            return sameRoute.Take(3).Select(k => k == key ? k + note : k).ToSeq().Strict();
        if (
            !neighbours.ByCollection.TryGetValue(RequestKey.Collection(key), out var candidates)
            && !neighbours.ByMethod.TryGetValue(RequestKey.Method(key), out candidates)
        )
            return default;
        if (candidates is null)
            return default;
        return candidates
            .OrderBy(k => EditDistance(k, key))
            .ThenBy(k => k, StringComparer.Ordinal)
            .Take(3)
            .ToSeq()
            .Strict();
    }

    private static void AddDistinct(Dictionary<string, List<string>> map, string at, string key)
    {
        if (!map.TryGetValue(at, out var list))
            map.Add(at, list = []);
        if (list.Count < NearestCandidates && !list.Contains(key))
            list.Add(key);
    }

    private static int EditDistance(string a, string b)
    {
        // Long keys are compared on their first 256 characters: enough to rank, and bounded.
        a = a.Length > 256 ? a[..256] : a;
        b = b.Length > 256 ? b[..256] : b;
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(
                    Math.Min(current[j - 1] + 1, previous[j] + 1),
                    previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                );
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>The replayer's source and size.</summary>
    public override string ToString() =>
        $"FixtureReplayer {{ Source = {Source}, Count = {Count} }}";
}

/// <summary>A body in a canonical text form for matching: JSON with sorted keys, compact; other bodies as bytes.</summary>
internal static class CanonicalBody
{
    public static string Of(StoredBody body) =>
        body switch
        {
            StoredBody.Json json => "json:" + Canonical(json.Value),
            StoredBody.Text text => "text:" + text.Value,
            StoredBody.Binary binary => "bytes:" + Convert.ToBase64String(binary.Value.Span),
            _ => "",
        };

    public static string Of(RequestContent content) =>
        content switch
        {
            RequestContent.Json json => "json:" + Canonical(json.Value),
            RequestContent.Empty => "",
            _ => Of(StoredBody.Of(content.ToBytes(), content.ContentType)),
        };

    private static string Canonical(JsonElement e)
    {
        var sb = new StringBuilder();
        // Iterative, so a deeply nested body cannot exhaust the stack.
        var stack = new Stack<object>();
        stack.Push(e);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case string text:
                    sb.Append(text);
                    break;
                case JsonElement element:
                    switch (element.ValueKind)
                    {
                        case JsonValueKind.Object:
                            var properties = element
                                .EnumerateObject()
                                .OrderBy(p => p.Name, StringComparer.Ordinal)
                                .ToList();
                            stack.Push("}");
                            for (var i = properties.Count - 1; i >= 0; i--)
                            {
                                stack.Push(properties[i].Value);
                                stack.Push(
                                    (i > 0 ? "," : "")
                                        + JsonSerializer.Serialize(
                                            properties[i].Name,
                                            CanonicalJson.Default.String
                                        )
                                        + ":"
                                );
                            }
                            stack.Push("{");
                            break;
                        case JsonValueKind.Array:
                            var items = element.EnumerateArray().ToList();
                            stack.Push("]");
                            for (var i = items.Count - 1; i >= 0; i--)
                            {
                                stack.Push(items[i]);
                                if (i > 0)
                                    stack.Push(",");
                            }
                            stack.Push("[");
                            break;
                        case JsonValueKind.String:
                            sb.Append(
                                JsonSerializer.Serialize(
                                    element.GetString(),
                                    CanonicalJson.Default.String
                                )
                            );
                            break;
                        case JsonValueKind.Number:
                            var raw = element.GetRawText();
                            sb.Append(
                                raw.All(c => char.IsAsciiDigit(c) || c == '-')
                                || !element.TryGetDouble(out var d)
                                    ? raw
                                    : d.ToString(
                                        "R",
                                        System.Globalization.CultureInfo.InvariantCulture
                                    )
                            );
                            break;
                        default:
                            sb.Append(element.GetRawText());
                            break;
                    }
                    break;
            }
        }
        return sb.ToString();
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class CanonicalJson : System.Text.Json.Serialization.JsonSerializerContext;
