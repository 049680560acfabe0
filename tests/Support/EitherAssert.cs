using LanguageExt;
using Xunit.Sdk;

namespace Klaviyo.Tests;

/// <summary>
/// Unwraps the <c>Either</c> a call returns: the value or the error the test expects, or a failure that says what
/// came instead. One definition for every test class.
/// </summary>
public static class EitherAssert
{
    /// <summary>The value; fails the test with the error when there is one.</summary>
    public static A Ok<A>(Either<KlaviyoError, A> result) =>
        result.Match(a => a, e => throw new XunitException($"expected a value, got {e}"));

    /// <summary>The error; fails the test when there is a value.</summary>
    public static KlaviyoError Err<A>(Either<KlaviyoError, A> result) =>
        result.Match(a => throw new XunitException($"expected an error, got {a}"), e => e);

    /// <summary>The status of a response, or of the <see cref="KlaviyoError.Api"/> error; fails on any other error.</summary>
    public static int Status(Either<KlaviyoError, KlaviyoResponse> result) =>
        result.Match(
            r => r.StatusCode,
            e =>
                e is KlaviyoError.Api api
                    ? api.StatusCode
                    : throw new XunitException($"expected a status, got {e}")
        );
}
