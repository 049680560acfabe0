using System.Collections;
using LanguageExt;

namespace Klaviyo;

/// <summary>Response headers in the order received, with case-insensitive lookup.</summary>
public sealed class ResponseHeaders
    : IEnumerable<(string Name, string Value)>,
        IEquatable<ResponseHeaders>
{
    private readonly Seq<(string Name, string Value)> _all;
    private readonly Seq<Secret> _secrets;

    /// <summary>Wraps headers.</summary>
    /// <param name="all">The headers in order.</param>
    public ResponseHeaders(Seq<(string Name, string Value)> all) => _all = all;

    /// <summary>Wraps headers of a response to a request carrying <paramref name="secrets"/>, which <see cref="ToString"/> masks (a server may echo them).</summary>
    /// <param name="all">The headers in order.</param>
    /// <param name="secrets">The request's secret values.</param>
    internal ResponseHeaders(Seq<(string Name, string Value)> all, Seq<Secret> secrets)
    {
        _all = all;
        _secrets = secrets;
    }

    /// <summary>The secrets of the request these headers answered (for redaction).</summary>
    internal Seq<Secret> Secrets => _secrets;

    /// <summary>The request these headers answered, when known: its rule-masked values are scrubbed on redaction.</summary>
    internal KlaviyoRequest? Request { get; init; }

    /// <summary>All headers, in order.</summary>
    public Seq<(string Name, string Value)> All => _all;

    /// <summary>The first value of header <paramref name="name"/>, any case.</summary>
    /// <param name="name">The header name.</param>
    public Option<string> this[string name] => Get(name);

    /// <summary>The first value of header <paramref name="name"/>, any case.</summary>
    /// <param name="name">The header name.</param>
    public Option<string> Get(string name)
    {
        foreach (var (n, v) in _all)
            if (n.Equals(name, StringComparison.OrdinalIgnoreCase))
                return v;
        return Option<string>.None;
    }

    /// <summary>The first value of header <paramref name="name"/>, any case, the plain C# way (no <c>Option</c>).</summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">The value, when present.</param>
    /// <returns>Whether the header is present.</returns>
    public bool TryGetValue(
        string name,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value
    )
    {
        foreach (var (n, v) in _all)
            if (n.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        value = null;
        return false;
    }

    /// <summary>Every value of header <paramref name="name"/>, any case, in order.</summary>
    /// <param name="name">The header name.</param>
    public Seq<string> GetAll(string name) =>
        _all.Filter(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Map(h => h.Value);

    /// <summary>Whether header <paramref name="name"/> is present, any case.</summary>
    /// <param name="name">The header name.</param>
    public bool Contains(string name) => Get(name).IsSome;

    /// <inheritdoc />
    public IEnumerator<(string Name, string Value)> GetEnumerator() => _all.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(ResponseHeaders? other) => other is not null && _all == other._all;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ResponseHeaders);

    /// <inheritdoc />
    public override int GetHashCode() => _all.GetHashCode();

    /// <summary>Headers as <c>name: value</c>, secret ones masked, and the request's secrets masked wherever echoed.</summary>
    public override string ToString() =>
        string.Join(
            ", ",
            _all.Map(h =>
                $"{h.Name}: {Redaction.Scrub(Redaction.HeaderValue(h.Name, h.Value), _secrets)}"
            )
        );
}
