using BatchSync.Domain.Common;
using FluentValidation.Results;

namespace BatchSync.Application.Behaviors;

/// <summary>A message whose validators run before its handler.</summary>
public interface IValidated
{
    /// <summary>
    /// The answer to a message that failed validation, from its failures grouped by field: by default a
    /// 400 naming every field. A message whose failures can mean something else says so here.
    /// </summary>
    static virtual Error Invalid(IReadOnlyDictionary<string, string[]> fields, IReadOnlyList<ValidationFailure> failures) =>
        Error.Validation(fields);
}
