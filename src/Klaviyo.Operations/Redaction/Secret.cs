using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Klaviyo;

/// <summary>
/// A credential or other secret value (an API key, an access or refresh token, a client secret, a webhook signing
/// key). It masks itself everywhere it could be printed: <see cref="ToString"/>, the debugger, and JSON (written as
/// <c>"[REDACTED]"</c>). The value is read only on purpose, with <see cref="Reveal"/>.
/// </summary>
/// <remarks>
/// A string converts to a secret implicitly, so options read as before:
/// <c>new KlaviyoOptions { ApiKey = Environment.GetEnvironmentVariable("KLAVIYO_API_KEY") }</c>. Two secrets are
/// equal when their values are equal (compared in constant time).
/// </remarks>
[DebuggerDisplay("[REDACTED]")]
[JsonConverter(typeof(MaskingJsonConverter))]
public sealed class Secret : IEquatable<Secret>
{
    /// <summary>The text shown instead of a secret: <c>[REDACTED]</c>.</summary>
    public const string Mask = "[REDACTED]";

    private readonly string _value;

    private Secret(string value) => _value = value;

    /// <summary>A secret holding <paramref name="value"/>.</summary>
    /// <param name="value">The secret value; must not be null.</param>
    public static Secret Of(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new Secret(value);
    }

    /// <summary>A secret holding <paramref name="value"/>, or <c>null</c> when it is null or empty.</summary>
    /// <param name="value">The value.</param>
    public static Secret? OrNull(string? value) =>
        string.IsNullOrEmpty(value) ? null : new Secret(value);

    /// <summary>A string becomes a secret (null and empty become <c>null</c>).</summary>
    /// <param name="value">The value.</param>
    public static implicit operator Secret?(string? value) => OrNull(value);

    /// <summary>The secret value itself. Call it only where the value must leave the program (the wire).</summary>
    public string Reveal() => _value;

    /// <summary>The length of the value.</summary>
    public int Length => _value.Length;

    /// <summary>
    /// A short, stable, non-reversible name for the value: the first 16 hex digits of its SHA-256 hash. Safe to log
    /// or to use as a key (e.g. one rate-limit bucket per account) without storing the secret.
    /// </summary>
    public string Fingerprint()
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(_value), hash);
        return Convert.ToHexStringLower(hash[..8]);
    }

    /// <summary>Always <see cref="Mask"/>.</summary>
    public override string ToString() => Mask;

    /// <summary>Whether both hold the same value (constant-time comparison).</summary>
    /// <param name="other">The other secret.</param>
    public bool Equals(Secret? other) =>
        other is not null
        && CryptographicOperations.FixedTimeEquals(
            MemoryMarshalBytes(_value),
            MemoryMarshalBytes(other._value)
        );

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Secret other && Equals(other);

    /// <summary>A hash of the length only, so the hash says nothing about the value.</summary>
    public override int GetHashCode() => _value.Length;

    private static ReadOnlySpan<byte> MemoryMarshalBytes(string s) =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(s.AsSpan());

    /// <summary>Writes a secret as <c>"[REDACTED]"</c>; reads one from a JSON string (e.g. a token response).</summary>
    internal sealed class MaskingJsonConverter : JsonConverter<Secret>
    {
        public override Secret? Read(
            ref Utf8JsonReader reader,
            Type typeToConvert,
            JsonSerializerOptions options
        ) =>
            reader.TokenType == JsonTokenType.Null ? null
            : reader.TokenType == JsonTokenType.String && reader.GetString() is { } s ? OrNull(s)
            : throw new JsonException("a secret must be a JSON string");

        public override void Write(
            Utf8JsonWriter writer,
            Secret value,
            JsonSerializerOptions options
        ) => writer.WriteStringValue(Mask);
    }
}
