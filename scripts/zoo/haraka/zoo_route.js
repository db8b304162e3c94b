// zoo_route: send example.net to the refusing sink and example.com (the
// sender, where bounces return) to the other sink; the rest by DNS.
exports.hook_get_mx = function (next, hmail, domain) {
    if (domain === 'example.net') return next(OK, { exchange: '127.0.0.1', port: 2526, priority: 0 })
    if (domain === 'example.com') return next(OK, { exchange: '127.0.0.1', port: 2527, priority: 0 })
    next()
}
