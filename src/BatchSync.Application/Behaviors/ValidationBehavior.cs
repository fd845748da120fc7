using BatchSync.Application.Diagnostics;
using BatchSync.Application.Sync.UploadBatchPart;
using BatchSync.Domain.Common;
using FluentValidation;
using Mediator;

namespace BatchSync.Application.Behaviors;

/// <summary>A message whose validators run before its handler.</summary>
public interface IValidated;

/// <summary>
/// Runs every validator of the message and, if any fails, answers with all field errors at once; the
/// handler never sees invalid input.
/// </summary>
internal sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IValidated, IMessage
    where TResponse : IFailable<TResponse>
{
    public async ValueTask<TResponse> Handle(
        TMessage message,
        MessageHandlerDelegate<TMessage, TResponse> next,
        CancellationToken cancellationToken)
    {
        List<FluentValidation.Results.ValidationFailure>? failures = null;
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(message, cancellationToken);
            if (!result.IsValid)
            {
                (failures ??= []).AddRange(result.Errors);
            }
        }

        BatchSyncTracing.Step("batchsync.validate");

        if (failures is null)
        {
            return await next(message, cancellationToken);
        }

        var fields = failures
            .GroupBy(f => f.PropertyName)
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray());
        var tooLarge = failures.Any(f => f.ErrorCode == UploadBatchPartCommandValidator.TooLargeCode);
        return TResponse.Fail(tooLarge
            ? new Error(ErrorKind.TooLarge, "Too many records in one part", fields)
            : Error.Validation(fields));
    }
}
