namespace Klaviyo;

/// <summary>
/// A success response with its body decoded into the generated model <typeparamref name="T"/>: what a
/// <see cref="RequestOperation{T}"/> yields in LINQ. Everything of <see cref="KlaviyoResponse"/> (status, headers,
/// the raw JSON) is still there; <see cref="Value"/> is the typed document, and its top-level members are at hand as
/// <c>Data</c>, <c>Included</c>, <c>Links</c>…
/// </summary>
/// <typeparam name="T">The model of the body, e.g. <c>GetListResponse</c>.</typeparam>
public record KlaviyoResponse<T> : KlaviyoResponse
{
    /// <summary>The response <paramref name="response"/> with its body decoded as <paramref name="value"/>.</summary>
    /// <param name="response">The response.</param>
    /// <param name="value">The decoded body.</param>
    public KlaviyoResponse(KlaviyoResponse response, T value)
        : base(response ?? throw new ArgumentNullException(nameof(response))) => Value = value;

    /// <summary>The body, decoded into <typeparamref name="T"/>.</summary>
    public T Value { get; init; }

    /// <summary>Equal to an untyped response with the same status, headers and body.</summary>
    protected override Type EqualityContract => typeof(KlaviyoResponse);

    /// <inheritdoc />
    public override string ToString() => base.ToString();
}
