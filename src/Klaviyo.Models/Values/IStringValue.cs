namespace Klaviyo;

/// <summary>
/// A string-valued type with a named member per value the spec lists, which still holds any other string: the enums
/// of the models (<c>OptInProcess.DoubleOptIn</c>) and the typed query parameters (<c>ProfileField.Email</c>). Each
/// converts implicitly from <see cref="string"/>, so a value newer than the spec stays usable.
/// </summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
public interface IStringValue<TSelf>
    where TSelf : struct, IStringValue<TSelf>
{
    /// <summary>The value as sent on the wire (<c>null</c> only for <c>default</c>).</summary>
    string Value { get; }

    /// <summary>Wraps <paramref name="value"/>, known to the spec or not.</summary>
    /// <param name="value">The value as sent on the wire.</param>
    static abstract TSelf From(string value);
}
