using BatchSync.Application.Diagnostics;
using BatchSync.Domain.Common;
using FluentValidation;
using Mediator;

namespace BatchSync.Application.Behaviors;

/// <summary>
/// Runs every validator of the message and, if any fails, answers with all field errors at once, as the
/// message's <see cref="IValidated.Invalid"/> says; the handler never sees invalid input.
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
        return TResponse.Fail(TMessage.Invalid(fields, failures));
    }
}
