const dc = require('node:diagnostics_channel');
dc.subscribe('mw:cors', (message) => console.log(message.event, message.reason));
