using System.Text;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// How requests are matched against a fixture: method, path and query, the query compared without regard to the
/// order of its parameters and to how they were percent-encoded. Host and port are not compared, so a fixture
/// recorded against one server replays against any.
/// </summary>
internal static class RequestKey
{
    /// <summary>The key of a (redacted) request: <c>GET /api/profiles?a=1&amp;b=2</c>, pairs sorted.</summary>
    /// <param name="safe">The request, redacted with the fixture's rules.</param>
    public static string Of(KlaviyoRequest safe) =>
        Of(safe.Method.Method, DecodedSegments(safe.Path), safe.Query);

    /// <summary>The key of a recorded request.</summary>
    /// <param name="recorded">The recorded request.</param>
    public static string Of(RecordedRequest recorded)
    {
        var (path, query) = Split(recorded.Url);
        return Of(recorded.Method, DecodedSegments(path), Pairs(query));
    }

    /// <summary>The route of a key: method and path, no query.</summary>
    /// <param name="key">A key from <see cref="Of(KlaviyoRequest)"/>.</param>
    public static string Route(string key)
    {
        var question = key.IndexOf('?');
        return question < 0 ? key : key[..question];
    }

    /// <summary>The collection of a key: method and the first two path segments (<c>GET /api/profiles</c>).</summary>
    /// <param name="key">A key.</param>
    public static string Collection(string key)
    {
        var route = Route(key);
        var slashes = 0;
        for (var i = 0; i < route.Length; i++)
            if (route[i] == '/' && ++slashes == 3)
                return route[..i];
        return route;
    }

    private static string Of(
        string method,
        string[] segments,
        Seq<(string Name, string Value)> query
    )
    {
        var sb = new StringBuilder(64);
        sb.Append(method.ToUpperInvariant()).Append(' ');
        for (var i = 0; i < segments.Length; i++)
        {
            if (i > 0)
                sb.Append('/');
            sb.Append(Uri.EscapeDataString(segments[i]));
        }
        if (segments.Length == 1)
            sb.Append('/');
        if (query.IsEmpty)
            return sb.ToString();
        var sorted = query.ToArray();
        Array.Sort(
            sorted,
            (a, b) =>
            {
                var byName = string.CompareOrdinal(a.Name, b.Name);
                return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
            }
        );
        var first = true;
        foreach (var (name, value) in sorted)
        {
            sb.Append(first ? '?' : '&');
            first = false;
            sb.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return sb.ToString();
    }

    private static string[] DecodedSegments(string path)
    {
        var segments = path.Split('/');
        for (var i = 0; i < segments.Length; i++)
            segments[i] = Decode(segments[i]);
        return segments;
    }

    // Path and query of an absolute URL as recorded (the host is not matched).
    private static (string Path, string? Query) Split(string url)
    {
        var hash = url.IndexOf('#');
        if (hash >= 0)
            url = url[..hash];
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var pathStart = url.IndexOfAny(['/', '?'], schemeEnd < 0 ? 0 : schemeEnd + 3);
        if (pathStart < 0)
            return ("/", null);
        var question = url.IndexOf('?', pathStart);
        var path = question < 0 ? url[pathStart..] : url[pathStart..question];
        return (path.Length == 0 ? "/" : path, question < 0 ? null : url[(question + 1)..]);
    }

    private static Seq<(string Name, string Value)> Pairs(string? query)
    {
        if (string.IsNullOrEmpty(query))
            return default;
        var list = new List<(string, string)>();
        foreach (var piece in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = piece.IndexOf('=');
            list.Add(
                eq < 0 ? (Decode(piece), "") : (Decode(piece[..eq]), Decode(piece[(eq + 1)..]))
            );
        }
        return list.ToSeq().Strict();
    }

    private static string Decode(string value) =>
        value.Contains('%') ? Uri.UnescapeDataString(value) : value;
}
