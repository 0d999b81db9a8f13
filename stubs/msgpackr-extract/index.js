// msgpackr wraps this require in try/catch and uses its JavaScript decoder instead.
throw new Error('msgpackr-extract native acceleration is not installed');
